import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { NotFoundError } from '../../errors.js';
import type { ApiOptions } from '../../options.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** The port of the internal listener (`internalPort` option, once ready), or undefined without one. */
		internalPort(): number | undefined;
	}
}

/** Whether `url` is an internal route (the service-token routes SFU nodes call). */
function isInternalPath(url: string): boolean {
	return url === '/api/internal' || url.startsWith('/api/internal/') || url.startsWith('/api/internal?');
}

/**
 * The internal port (finding 4 of the security review): with `internalPort` set (API and SFU run
 * apart), `/api/internal/*` is served only on a second listener meant for the private network, and the
 * public port answers those paths 404 as if they did not exist. The internal listener serves the
 * internal routes, `/api/health` and `/metrics`. Without the option (one process) nothing changes.
 */
export default fp(
	async function internalPort(app: FastifyInstance, opts: ApiOptions) {
		if (opts.internalPort === undefined) {
			app.decorate('internalPort', () => undefined);

			return;
		}
		// Requests that came in on the internal listener (the objects are per request: a WeakSet forgets them).
		const internal = new WeakSet<IncomingMessage>();
		const server: Server = createServer((req, res) => {
			internal.add(req);
			app.routing(req, res);
		});
		app.decorate('internalPort', () => (server.address() as AddressInfo | null)?.port);
		app.addHook('onRequest', async (request) => {
			// The matched route's pattern when there is one, so no spelling of the URL slips past.
			const path = request.routeOptions.url ?? request.url;
			const onInternal = internal.has(request.raw);
			if (isInternalPath(path) ? !onInternal : onInternal && !isInternalListenerPath(path)) {
				throw new NotFoundError('route');
			}
		});
		app.addHook('onReady', async () => {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(opts.internalPort, opts.internalHost ?? '0.0.0.0', () => {
					server.off('error', reject);
					resolve();
				});
			});
			app.log.info({ port: app.internalPort() }, 'internal-port | internal routes listening');
		});
		app.addHook('onClose', async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		});
	},
	{ name: 'internal-port' }
);

// What else the internal listener answers: probes and scrapes from inside the cluster.
function isInternalListenerPath(url: string): boolean {
	return (
		url === '/metrics' ||
		url === '/api/health' ||
		url.startsWith('/api/health/') ||
		url.startsWith('/api/health?')
	);
}
