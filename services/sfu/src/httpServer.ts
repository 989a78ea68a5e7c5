import { createServer, type Server } from 'node:http';
import type { Sfu } from './SfuTypes.js';

/**
 * The standalone node's HTTP server: WebSocket upgrades on `/ws`, `GET /health` and `GET /metrics`
 * (Prometheus). In the embedded mode the API's server routes `/ws` to the SFU instead. `sfu` may be a
 * getter, so the server can listen (and its port be known for the public URL) before the SFU starts;
 * until then it answers 503 and refuses upgrades.
 */
export function createSfuHttpServer(sfuOrGetter: Sfu | (() => Sfu | undefined)): Server {
	const current = typeof sfuOrGetter === 'function' ? sfuOrGetter : () => sfuOrGetter;
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		const sfu = current();
		if (!sfu) {
			res.writeHead(503, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { code: 'unavailable', message: 'starting' } }));

			return;
		}
		if (req.method === 'GET' && path === '/health') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ status: 'ok', nodeId: sfu.nodeId, ...sfu.stats() }));

			return;
		}
		if (req.method === 'GET' && path === '/metrics') {
			sfu.metrics().then(
				({ contentType, body }) => {
					res.writeHead(200, { 'content-type': contentType });
					res.end(body);
				},
				() => {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ error: { code: 'internal', message: 'metrics failed' } }));
				}
			);

			return;
		}
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
	});
	server.on('upgrade', (req, socket, head) => {
		const sfu = current();
		if (sfu && new URL(req.url ?? '/', 'http://x').pathname === '/ws') {
			sfu.handleUpgrade(req, socket, head);
		} else {
			socket.destroy();
		}
	});

	return server;
}
