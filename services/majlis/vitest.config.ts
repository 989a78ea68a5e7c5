import { nodeProject } from '../../vitest.shared';

export default nodeProject('server', { buildsApi: true });
