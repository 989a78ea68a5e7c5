import { nodeProject } from '../../vitest.shared';

export default nodeProject('api', { buildsApi: true });
