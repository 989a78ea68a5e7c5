import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { buildServer, envApiOptions, registerEmbedPage, registerSharePages } from '@majlis/api';
import {
	type Bus,
	clusterSecret,
	createBus,
	createLogger,
	type Logger,
	logBusRejections,
	type PostgresHandle,
	startEmbeddedPostgres,
} from '@majlis/server-kit';
import type { Sfu } from '@majlis/sfu';
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { MajlisConfig } from './config.js';

/** A running Majlis: API, SFU signalling and web on one HTTP port. */
export interface MajlisHandle {
	/** Base URL it serves (http://host:port). */
	readonly url: string;
	/** The Fastify instance (API + web). */
	readonly app: FastifyInstance;
	/** Stops everything in reverse order of start; idempotent. */
	close(): Promise<void>;
}

/**
 * Starts the whole product in this process: Postgres (configured or embedded), the bus (Redis or
 * in-process), the API, the SFU on the same HTTP server (WS upgrade on /ws) and the built web client.
 */
export async function startMajlis(
	config: MajlisConfig,
	logger: Logger = createLogger('majlis')
): Promise<MajlisHandle> {
	const log = logger.child({ module: 'startMajlis' });
	const closers: (() => Promise<void>)[] = [];
	async function closeAll() {
		for (const close of closers.splice(0).reverse()) {
			await close().catch((error: unknown) => log.error({ err: error }, 'close() | step failed'));
		}
	}

	try {
		let databaseUrl = config.databaseUrl;
		if (!databaseUrl) {
			const pg: PostgresHandle = await startEmbeddedPostgres({
				dataDir: join(config.dataDir, 'pgdata'),
				// Only this OS user can reach the embedded database (it has no password check).
				socketDir: join(config.dataDir, 'run'),
			});
			closers.push(() => pg.stop());
			databaseUrl = pg.url;
			log.info({ dataDir: config.dataDir }, 'startMajlis() | embedded Postgres ready');
		}
		// Signed with the secret every API and SFU process holds: forged messages on Redis are dropped.
		const bus: Bus = createBus(config.redisUrl, {
			secret: clusterSecret(config.tokenKeys ?? config.jwtSecret),
			onRejected: logBusRejections(log),
		});
		closers.push(() => bus.close());

		const app = await buildServer({
			databaseUrl,
			bus,
			jwtSecret: config.jwtSecret,
			...(config.tokenKeys ? { tokenKeys: config.tokenKeys } : {}),
			logger: logger.child({ module: 'api' }),
			...envApiOptions(config),
			webPush: config.webPush,
			async extend(instance) {
				// With port 0 (tests) PUBLIC_URL is not known yet: share tags use the request's origin.
				await serveWeb(instance, config.webDist, {
					publicUrl: config.port === 0 ? undefined : config.publicUrl,
					frameAncestors: config.embedFrameAncestors,
				});
			},
		});
		closers.push(() => app.close());

		const address = await app.listen({ port: config.port, host: config.host });
		const port = (app.server.address() as { port: number }).port;
		const publicUrl = config.port === 0 ? `http://localhost:${port}` : config.publicUrl;

		if (config.role === 'api') {
			log.info({ address }, 'startMajlis() | ready (API and web only)');

			return { url: publicUrl, app, close: closeAll };
		}
		// Loaded only here: an API-only process (MAJLIS_ROLE=api) never loads mediasoup.
		const { createSfu } = await import('@majlis/sfu');
		const sfu: Sfu = await createSfu({
			bus,
			// The node gets the ticket public key and the service secret, never the user-token secret.
			jwtSecret: config.tokenKeys
				? { serviceSecret: config.tokenKeys.serviceSecret, ticketPublicKey: config.tokenKeys.ticketPublicKey }
				: config.jwtSecret,
			// The SFU reaches the API over loopback HTTP even in one process: one code path for both modes.
			apiUrl: `http://127.0.0.1:${config.internalPort ?? port}`,
			nodeId: config.nodeId,
			publicUrl: `${publicUrl.replace(/^http/, 'ws')}/ws`,
			numWorkers: config.sfu.numWorkers,
			listenIp: config.sfu.listenIp,
			announcedAddress: config.sfu.announcedAddress,
			rtcMinPort: config.sfu.rtcMinPort,
			rtcMaxPort: config.sfu.rtcMaxPort,
			hostGraceMs: config.sfu.hostGraceMs,
			rejoinGraceMs: config.sfu.rejoinGraceMs,
			chatBlockedWords: config.sfu.chatBlockedWords,
			// The socket cap sees client addresses through the same proxies as the API's rate limits.
			trustProxy: config.trustProxy,
			...(config.sfu.maxSocketsPerIp === undefined ? {} : { maxSocketsPerIp: config.sfu.maxSocketsPerIp }),
			// Captures in progress stay with the data, so a restart finishes what it interrupted (#13).
			recordingDir: join(config.dataDir, 'captures'),
			logger: logger.child({ module: 'sfu' }),
		});
		// Close the SFU before the API: it reports room endings to the API while closing.
		closers.splice(closers.length - 1, 0, () => sfu.close());
		app.server.on('upgrade', (req, socket, head) => {
			if (new URL(req.url ?? '/', 'http://x').pathname === '/ws') {
				sfu.handleUpgrade(req, socket, head);
			} else {
				socket.destroy();
			}
		});
		log.info({ address, publicUrl }, 'startMajlis() | ready');

		return {
			// The public URL, not 127.0.0.1: the page's origin must match what the SFU announces to it.
			url: publicUrl,
			app,
			close: closeAll,
		};
	} catch (error) {
		await closeAll();
		throw error;
	}
}

// The web client is a single-page app: unknown non-API paths get index.html so deep links work.
async function serveWeb(
	app: FastifyInstance,
	webDist: string,
	pages: { publicUrl: string | undefined; frameAncestors: readonly string[] }
): Promise<void> {
	if (!existsSync(join(webDist, 'index.html'))) {
		app.log.warn({ webDist }, 'serveWeb() | no built web client; run `pnpm build`');

		return;
	}
	await app.register(fastifyStatic, { root: webDist, wildcard: false, index: 'index.html' });
	const indexHtml = readFileSync(join(webDist, 'index.html'), 'utf8');
	// Room and profile pages carry link-preview tags (share cards); every other path is the plain index.html.
	await registerSharePages(app, { indexHtml, publicUrl: pages.publicUrl });
	// The embeddable player is the one page other sites may frame (helmet refuses framing everywhere else).
	await registerEmbedPage(app, { indexHtml, frameAncestors: pages.frameAncestors });
	// `hide` is @fastify/swagger's schema flag (registered by the API): keep this fallback out of OpenAPI.
	app.get('/*', { schema: { hide: true } as FastifySchema }, async (request, reply) => {
		if (request.url.startsWith('/api/') || request.url === '/api') {
			return reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } });
		}

		return reply.sendFile('index.html');
	});
}
