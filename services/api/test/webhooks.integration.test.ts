import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreatedWebhook, JoinResponse, Room, WebhookDelivery } from '@majlis/protocol';
import { SFU_NODES_KEY } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	inFuture,
	registerNode,
	setup,
	signup,
	type TestUser,
	waitFor,
} from './helper.js';

/** What the receiver got. */
interface Received {
	headers: IncomingHttpHeaders;
	body: string;
	at: number;
}

/** A webhook receiver on loopback; `respond` picks each answer's status (by the count of requests so far). */
async function startReceiver(respond: (n: number) => number = () => 200) {
	const received: Received[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
			res.statusCode = respond(received.length);
			res.end();
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/**
 * The receiver's own check, written from the documented format (not with the API's code): the header is
 * `t=<seconds>,v1=<hex>`, v1 = HMAC-SHA256(secret, t + "." + body), and t within 5 minutes of now.
 */
function verifySignature(secret: string, header: string | string[] | undefined, body: string): boolean {
	const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
	if (!match) {
		return false;
	}
	const t = Number(match[1]);
	if (Math.abs(Date.now() / 1000 - t) > 300) {
		return false;
	}
	const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();

	return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

const FAST = { allowPrivate: true, retryBaseMs: 100, pollMs: 100 };

let h: Harness;
let host: TestUser;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
	// Its own Redis database: the file registers a fake SFU node (see helper.createTestBus).
	h = await setup({ bus: createTestBus(13), webhooks: FAST });
	await registerNode(h.bus);
	host = await signup(h.app);
});
afterEach(async () => {
	while (closers.length > 0) {
		await closers.pop()!();
	}
});
afterAll(async () => {
	await h?.bus.del(SFU_NODES_KEY);
	await h?.close();
});

async function register(
	app: FastifyInstance,
	user: TestUser,
	url: string,
	events?: string[],
	scope?: string
) {
	return expectStatus<CreatedWebhook>(201, app, 'POST', '/api/me/webhooks', {
		token: user.token,
		body: {
			url,
			events: events ?? ['room.scheduled', 'room.started', 'room.ended', 'recording.ready', 'speaker.joined'],
			...(scope ? { scope } : {}),
		},
	});
}

describe('signed webhooks', () => {
	test("a receiver verifies the signature of each event of a room's life, in order", async () => {
		const receiver = await startReceiver();
		closers.push(receiver.close);
		const { secret, webhook } = await register(h.app, host, receiver.url);
		expect(secret).toMatch(/^whsec_/);

		const room = await createRoom(h.app, host.token, { title: 'Webhook life', scheduledFor: inFuture() });
		await expectStatus(200, h.app, 'PUT', `/api/rooms/${room.id}/recordings/setting`, {
			token: host.token,
			body: { enabled: true },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, { token: host.token });
		// The SFU's calls: a recording starts and is finished.
		const service = await h.app.tokens.signServiceToken('sfu');
		const recording = await expectStatus<{ id: string }>(
			201,
			h.app,
			'POST',
			`/api/internal/rooms/${room.id}/recordings`,
			{ token: service, body: { by: host.user.id } }
		);
		const timeline = {
			startedAt: Date.now(),
			durationMs: 1234,
			people: [],
			stage: [],
			speaking: [],
			muted: [],
			events: [],
		};
		await expectStatus(204, h.app, 'POST', `/api/internal/recordings/${recording.id}/finish`, {
			token: service,
			body: { state: 'ready', durationMs: 1234, tracks: [], timeline },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });

		const events = ['room.scheduled', 'room.started', 'speaker.joined', 'recording.ready', 'room.ended'];
		await waitFor('five deliveries', () => (receiver.received.length >= 5 ? true : undefined));
		const got = receiver.received.map(
			(r) => JSON.parse(r.body) as { type: string; data: { room: Room & { state: string } } }
		);
		expect(got.map((e) => e.type)).toEqual(events);
		for (const [i, r] of receiver.received.entries()) {
			expect(verifySignature(secret, r.headers['majlis-signature'], r.body), events[i]).toBe(true);
			expect(r.headers['majlis-event']).toBe(events[i]);
			expect(r.headers['content-type']).toBe('application/json');
			// A byte changed, or another secret: the check fails (the receiver's check is not vacuous).
			expect(verifySignature(secret, r.headers['majlis-signature'], `${r.body} `)).toBe(false);
			expect(verifySignature(`${secret}x`, r.headers['majlis-signature'], r.body)).toBe(false);
		}
		expect(got.every((e) => e.data.room.id === room.id)).toBe(true);
		expect(got[1]!.data.room.state).toBe('live');
		expect(got[4]!.data.room.state).toBe('ended');

		const log = await expectStatus<{ items: WebhookDelivery[] }>(
			200,
			h.app,
			'GET',
			`/api/me/webhooks/${webhook.id}/deliveries`,
			{
				token: host.token,
			}
		);
		expect(log.items).toHaveLength(5);
		for (const d of log.items) {
			expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
			expect(d.lastResponseMs).toBeGreaterThanOrEqual(0);
		}
		// Another host's room does not reach this endpoint.
		const other = await signup(h.app);
		await createRoom(h.app, other.token);
		const ping = await expectStatus<{ deliveryId: string }>(
			202,
			h.app,
			'POST',
			`/api/me/webhooks/${webhook.id}/test`,
			{
				token: host.token,
			}
		);
		const pinged = await waitFor('the test event', () =>
			receiver.received.find((r) => r.headers['majlis-delivery'] === ping.deliveryId)
		);
		expect(JSON.parse(pinged.body).type).toBe('ping');
		expect(receiver.received).toHaveLength(6);
	});

	test('a receiver that fails twice gets the event on the third try, after growing waits', async () => {
		const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204));
		closers.push(receiver.close);
		const { secret, webhook } = await register(h.app, host, receiver.url, ['room.scheduled']);
		await createRoom(h.app, host.token);
		await waitFor('the third attempt', () => (receiver.received.length >= 3 ? true : undefined));
		const [a, b, c] = receiver.received;
		expect(a!.body).toBe(b!.body);
		expect(b!.body).toBe(c!.body);
		expect(verifySignature(secret, c!.headers['majlis-signature'], c!.body)).toBe(true);
		expect(new Set(receiver.received.map((r) => r.headers['majlis-delivery'])).size).toBe(1);
		// Base 100 ms: the first wait is 50–100 ms, the second 100–200 ms (plus the poll).
		expect(b!.at - a!.at).toBeGreaterThanOrEqual(50);
		expect(c!.at - b!.at).toBeGreaterThanOrEqual(100);
		const delivery = await waitFor('the log to say delivered', async () => {
			const log = await expectStatus<{ items: WebhookDelivery[] }>(
				200,
				h.app,
				'GET',
				`/api/me/webhooks/${webhook.id}/deliveries`,
				{ token: host.token }
			);

			return log.items[0]?.state === 'delivered' ? log.items[0] : undefined;
		});
		expect(delivery).toMatchObject({ attempts: 3, lastStatus: 204, lastError: null, nextAttemptAt: null });
	});

	test('an event queued before an API restart is delivered after it', async () => {
		let up = false;
		const receiver = await startReceiver(() => (up ? 200 : 503));
		closers.push(receiver.close);
		// The first attempt fails; the next is 1–2 s later, and the app stops long before that.
		const first = await h.build({ webhooks: { ...FAST, retryBaseMs: 2000 } });
		const user = await signup(first);
		const { secret } = await register(first, user, receiver.url, ['room.scheduled']);
		const room = await createRoom(first, user.token, { title: 'Before the restart' });
		await waitFor('the failed first attempt', () => (receiver.received.length === 1 ? true : undefined));
		await first.close();
		const pending = await h.app.db
			.selectFrom('webhook_deliveries')
			.selectAll()
			.where('payload', 'like', `%${room.id}%`)
			.executeTakeFirstOrThrow();
		expect(pending).toMatchObject({ state: 'pending', attempts: 1, last_status: 503 });

		// The queue is in Postgres: a new API process picks the row up when it is due.
		up = true;
		const second = await h.build({ webhooks: FAST });
		closers.push(() => second.close());
		await waitFor('delivery after the restart', () => (receiver.received.length === 2 ? true : undefined));
		const delivered = receiver.received[1]!;
		expect(JSON.parse(delivered.body).data.room.id).toBe(room.id);
		expect(verifySignature(secret, delivered.headers['majlis-signature'], delivered.body)).toBe(true);
	});

	test('two API nodes share the queue: each event is delivered once', async () => {
		const receiver = await startReceiver();
		closers.push(receiver.close);
		const nodeB = await h.build({ webhooks: FAST });
		closers.push(() => nodeB.close());
		const user = await signup(h.app);
		await register(h.app, user, receiver.url, ['room.scheduled']);
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) {
			// Alternate the node the event happens on; both workers poll the same table.
			ids.push((await createRoom(i % 2 ? nodeB : h.app, user.token, { title: `Room ${i}` })).id);
		}
		await waitFor('six deliveries', () => (receiver.received.length >= 6 ? true : undefined));
		await new Promise((r) => setTimeout(r, 500));
		const rooms = receiver.received.map((r) => JSON.parse(r.body).data.room.id as string);
		expect(rooms.sort()).toEqual(ids.sort());
	});
});

describe('endpoint rules', () => {
	test('private and loopback endpoints are refused unless WEBHOOKS_ALLOW_PRIVATE; http only then', async () => {
		const strict = await h.build({ webhooks: { allowPrivate: false } });
		closers.push(() => strict.close());
		for (const url of [
			'https://127.0.0.1/hook',
			'https://10.1.2.3/x',
			'https://[::1]/x',
			'https://169.254.169.254/latest',
		]) {
			const res = await call<{ error: { fields: Record<string, string> } }>(
				strict,
				'POST',
				'/api/me/webhooks',
				{
					token: host.token,
					body: { url, events: ['room.started'] },
				}
			);
			expect({ url, status: res.status, fields: res.body.error.fields }).toEqual({
				url,
				status: 400,
				fields: { url: 'the host resolves to a private address' },
			});
		}
		const plain = await call<{ error: { fields: Record<string, string> } }>(
			strict,
			'POST',
			'/api/me/webhooks',
			{
				token: host.token,
				body: { url: 'http://example.com/hook', events: ['room.started'] },
			}
		);
		expect(plain.body.error.fields).toEqual({ url: 'must be an https URL' });
		const bad = await call<{ error: { fields: Record<string, string> } }>(
			strict,
			'POST',
			'/api/me/webhooks',
			{
				token: host.token,
				body: { url: 'https://x.test/', events: ['room.exploded'] },
			}
		);
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields)).toEqual(['events.0']);
	});

	test('scope "all" is for deployment admins, whose endpoint then gets every host\'s rooms', async () => {
		const admin = await signup(h.app);
		const withAdmins = await h.build({ webhooks: FAST, adminHandles: [admin.user.handle] });
		closers.push(() => withAdmins.close());
		const receiver = await startReceiver();
		closers.push(receiver.close);
		const refused = await call<{ error: { code: string } }>(withAdmins, 'POST', '/api/me/webhooks', {
			token: host.token,
			body: { url: receiver.url, events: ['room.scheduled'], scope: 'all' },
		});
		expect(refused.status).toBe(403);
		const { webhook } = await register(withAdmins, admin, receiver.url, ['room.scheduled'], 'all');
		expect(webhook.scope).toBe('all');
		const someone = await signup(withAdmins);
		const room = await createRoom(withAdmins, someone.token, { visibility: 'private' });
		const got = await waitFor('the admin delivery', () =>
			receiver.received.find((r) => JSON.parse(r.body).data.room.id === room.id)
		);
		expect(JSON.parse(got.body).data.room.host.id).toBe(someone.user.id);
		await expectStatus(204, withAdmins, 'DELETE', `/api/me/webhooks/${webhook.id}`, { token: admin.token });
	});

	test('an API token with the webhooks scope manages endpoints; without it, 403', async () => {
		const mint = (scopes: string[]) =>
			expectStatus<{ token: string }>(201, h.app, 'POST', '/api/me/tokens', {
				token: host.token,
				body: { name: 'hooks', scopes },
			});
		const reader = await mint(['read']);
		expect((await call(h.app, 'GET', '/api/me/webhooks', { token: reader.token })).status).toBe(403);
		const hooks = await mint(['webhooks']);
		const list = await expectStatus<{ items: unknown[] }>(200, h.app, 'GET', '/api/me/webhooks', {
			token: hooks.token,
		});
		expect(list.items.length).toBeGreaterThan(0);
		// Another user's endpoint is invisible.
		const other = await signup(h.app);
		const theirs = await register(h.app, other, 'http://127.0.0.1:9/x', ['room.started']);
		expect(
			(await call(h.app, 'GET', `/api/me/webhooks/${theirs.webhook.id}/deliveries`, { token: hooks.token }))
				.status
		).toBe(404);
		expect(
			(await call(h.app, 'POST', `/api/me/webhooks/${theirs.webhook.id}/test`, { token: host.token })).status
		).toBe(404);
		expect(
			(await call(h.app, 'DELETE', `/api/me/webhooks/${theirs.webhook.id}`, { token: host.token })).status
		).toBe(404);
	});
});
