import { nodeProject } from '../../vitest.shared';

export default nodeProject('sfu', { buildsApi: true });
