import { once } from 'node:events';
import { clusterSecret, createBus, createLogger, logBusRejections } from '@majlis/server-kit';
import { loadSfuConfig } from './config.js';
import { createSfu } from './createSfu.js';
import { createSfuHttpServer } from './httpServer.js';

// Process entry of a standalone SFU node (scaled mode): configuration from the environment, signalling,
// health and metrics on one HTTP port, and a clean stop on SIGTERM/SIGINT.
const bootLog = createLogger('sfu');

async function main(): Promise<void> {
	const config = loadSfuConfig(process.env);
	const log = createLogger('sfu', config.logLevel);
	if (!config.redisUrl) {
		log.warn('main() | no REDIS_URL: using an in-process bus; the API cannot reach this node');
	}
	const bus = createBus(config.redisUrl, {
		secret: clusterSecret(config.jwtSecret),
		onRejected: logBusRejections(log),
	});
	const sfu = await createSfu({
		bus,
		jwtSecret: config.jwtSecret,
		apiUrl: config.apiUrl,
		nodeId: config.nodeId,
		publicUrl: config.publicUrl,
		numWorkers: config.numWorkers,
		listenIp: config.listenIp,
		announcedAddress: config.announcedAddress,
		rtcMinPort: config.rtcMinPort,
		rtcMaxPort: config.rtcMaxPort,
		hostGraceMs: config.hostGraceMs,
		rejoinGraceMs: config.rejoinGraceMs,
		maxConsumersPerWorker: config.maxConsumersPerWorker,
		allowPlainTransports: config.allowPlainTransports,
		capacity: config.capacity,
		chatBlockedWords: config.chatBlockedWords,
		...(config.maxSocketsPerIp === undefined ? {} : { maxSocketsPerIp: config.maxSocketsPerIp }),
		trustProxy: config.trustProxy,
		...(config.recordingDir ? { recordingDir: config.recordingDir } : {}),
		logger: log,
	});
	const server = createSfuHttpServer(sfu);
	server.listen(config.port, config.host);
	await once(server, 'listening');
	log.info({ port: config.port, publicUrl: config.publicUrl }, 'main() | listening');

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) {
			return;
		}
		stopping = true;
		log.info({ signal }, 'main() | stopping');
		server.close();
		// Rooms stay in the bus; their clients are told to reconnect through the API.
		await sfu.close();
		await bus.close();
		server.closeAllConnections();
		process.exit(0);
	};
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			stop(signal).catch((error: unknown) => {
				log.error({ err: error }, 'main() | stop failed');
				process.exit(1);
			});
		});
	}
}

main().catch((error: unknown) => {
	bootLog.error({ err: error }, 'main() | could not start');
	process.exit(1);
});
