import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@majlis/server-kit';
import closeWithGrace from 'close-with-grace';
import { loadConfig } from './config.js';
import { startMajlis } from './startMajlis.js';

// Process entry of `npm start`: everything in one process, configured by the environment.
const log = createLogger('majlis');
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

try {
	const config = await loadConfig(process.env, repoRoot);
	const majlis = await startMajlis(config, log);
	closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
		if (err) {
			log.error({ err }, 'main() | fatal error, closing');
		} else {
			log.info({ signal }, 'main() | closing');
		}
		await majlis.close();
	});
} catch (error) {
	log.error({ err: error }, 'main() | could not start');
	process.exit(1);
}
