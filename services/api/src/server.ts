import { createBus, createLogger, logBusRejections } from '@majlis/server-kit';
import closeWithGrace from 'close-with-grace';
import { buildServer } from './build-server.js';
import { envApiOptions, loadApiConfig } from './config.js';
import { loadWebPushConfig } from './web-push-config.js';

// Standalone entry of the scaled mode (API and SFU in separate processes, sharing Postgres and Redis).
// Configuration comes from the environment only; see config.ts. Do not branch on NODE_ENV.

const log = createLogger('api');

try {
	const config = loadApiConfig(process.env);
	log.level = config.logLevel;
	if (!config.redisUrl) {
		log.warn('server | REDIS_URL is not set: no SFU process can reach this API (joins will get 503)');
	}
	const bus = createBus(config.redisUrl, { secret: config.jwtSecret, onRejected: logBusRejections(log) });
	const app = await buildServer({
		databaseUrl: config.databaseUrl,
		bus,
		jwtSecret: config.jwtSecret,
		logger: log,
		...envApiOptions(config),
		// Reach: Web Push from VAPID_* (off without keys: nothing to keep them in).
		webPush: await loadWebPushConfig(process.env),
	});
	closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
		if (err) {
			log.error({ err }, 'server | fatal error, closing');
		} else {
			log.info({ signal }, 'server | closing');
		}
		await app.close();
		await bus.close();
	});
	await app.listen({ port: config.port, host: config.host });
} catch (error) {
	log.error({ err: error }, 'server | could not start');
	process.exit(1);
}
