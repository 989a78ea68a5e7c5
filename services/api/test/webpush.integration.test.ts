import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PushPayload } from '@majlis/protocol';
// @ts-expect-error http_ece ships no types: decrypt(buffer, params) → Buffer.
import ece from 'http_ece';
import { afterAll, beforeAll, expect, test } from 'vitest';
import webpush from 'web-push';
import type { WebPushConfig } from '../src/web-push-config.js';
import {
	call,
	createRoom,
	expectStatus,
	type Harness,
	selfSignedCertificate,
	setup,
	signup,
	type TestUser,
} from './helper.js';

/** A push request as the test's own push service received it. */
interface Received {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

let h: Harness;
let server: Server;
let cert: string;
const received: Received[] = [];
const vapid: WebPushConfig = {
	...webpush.generateVAPIDKeys(),
	subject: 'mailto:push-test@majlis.invalid',
	allowLoopback: true,
};

beforeAll(async () => {
	// The push service is this test's HTTPS server on loopback, with a certificate made here.
	const made = selfSignedCertificate();
	cert = made.cert;
	server = createServer({ key: made.key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			// A subscription the browser dropped: the push service says it is gone.
			res.writeHead(req.url?.startsWith('/gone/') ? 410 : 201).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	h = await setup({ webPush: vapid, webPushCa: cert });
});
afterAll(async () => {
	await h?.close();
	await new Promise((resolve) => server?.close(resolve));
});

function endpoint(path: string): string {
	return `https://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

/** A browser's side of a subscription: its P-256 key pair and auth secret (RFC 8291 §3). */
function browserKeys(): { ecdh: ECDH; p256dh: string; auth: string } {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();

	return {
		ecdh,
		p256dh: ecdh.getPublicKey().toString('base64url'),
		auth: randomBytes(16).toString('base64url'),
	};
}

async function subscribe(user: TestUser, path: string) {
	const keys = browserKeys();
	await expectStatus(204, h.app, 'PUT', '/api/me/push-subscriptions', {
		token: user.token,
		body: { endpoint: endpoint(path), keys: { p256dh: keys.p256dh, auth: keys.auth } },
	});

	return keys;
}

/** Checks the VAPID JWT (RFC 8292): ES256 by our key, for the push service's origin, with our subject. */
function checkVapid(authorization: string, audience: string): void {
	const match = /^vapid t=([^,]+), k=(.+)$/.exec(authorization);
	expect(match).not.toBeNull();
	const [, jwt, k] = match!;
	expect(k).toBe(vapid.publicKey);
	const [head, claims, signature] = jwt!.split('.') as [string, string, string];
	const point = Buffer.from(k!, 'base64url');
	const key = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: point.subarray(1, 33).toString('base64url'),
			y: point.subarray(33).toString('base64url'),
		},
		format: 'jwk',
	});
	expect(
		verify(
			'sha256',
			Buffer.from(`${head}.${claims}`),
			{ key, dsaEncoding: 'ieee-p1363' },
			Buffer.from(signature, 'base64url')
		)
	).toBe(true);
	const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
		aud: string;
		sub: string;
		exp: number;
	};
	expect(body.aud).toBe(audience);
	expect(body.sub).toBe(vapid.subject);
	expect(body.exp * 1000).toBeGreaterThan(Date.now());
}

test('the public key is served; Web Push is off (404) without VAPID keys', async () => {
	expect(await expectStatus(200, h.app, 'GET', '/api/push/key')).toEqual({ publicKey: vapid.publicKey });
	const off = await h.build({ webPush: undefined });
	try {
		expect((await call(off, 'GET', '/api/push/key')).status).toBe(404);
	} finally {
		await off.close();
	}
});

test('a room starts: the subscribed listener gets an RFC 8291 push that decrypts to the payload; no subscription, no push', async () => {
	const [host, listener, unsubscribed] = [await signup(h.app), await signup(h.app), await signup(h.app)];
	const room = await createRoom(h.app, host.token, { title: 'حلقة الخميس' });
	for (const u of [listener, unsubscribed]) {
		await expectStatus(200, h.app, 'PUT', `/api/rooms/${room.id}/reminder`, { token: u.token });
	}
	const path = `/push/${listener.user.id}`;
	const keys = await subscribe(listener, path);
	const before = received.length;
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
	await h.app.notifier.settled();

	const pushes = received.slice(before);
	expect(pushes.map((p) => p.path)).toEqual([path]);
	const push = pushes[0]!;
	expect(push.headers['content-encoding']).toBe('aes128gcm');
	expect(Number(push.headers.ttl)).toBeGreaterThan(0);
	checkVapid(String(push.headers.authorization), new URL(endpoint('/')).origin);
	const clear = ece.decrypt(push.body, {
		version: 'aes128gcm',
		privateKey: keys.ecdh,
		authSecret: keys.auth,
	}) as Buffer;
	const payload = JSON.parse(clear.toString('utf8')) as PushPayload;
	const [stored] = (
		await expectStatus<{ items: { id: string }[] }>(200, h.app, 'GET', '/api/me/notifications', {
			token: listener.token,
		})
	).items;
	expect(payload).toEqual({
		id: stored!.id,
		kind: 'reminder',
		roomId: room.id,
		roomTitle: 'حلقة الخميس',
		actorName: host.user.displayName,
		url: `/rooms/${room.id}`,
	});
	// Turning push off for the kind stops it; the notification centre still gets it.
	await expectStatus(200, h.app, 'PUT', '/api/me/notification-preferences', {
		token: listener.token,
		body: [{ kind: 'cohost', inApp: true, push: false }],
	});
	const second = await createRoom(h.app, host.token);
	const mark = received.length;
	await expectStatus(204, h.app, 'PUT', `/api/rooms/${second.id}/cohosts/${listener.user.id}`, {
		token: host.token,
	});
	await h.app.notifier.settled();
	expect(received.length).toBe(mark);
});

test('a subscription the push service says is gone (410) is deleted', async () => {
	const [host, user] = [await signup(h.app), await signup(h.app)];
	await subscribe(user, `/gone/${user.user.id}`);
	const room = await createRoom(h.app, host.token);
	await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/guests/${user.user.id}`, {
		token: host.token,
		body: { kind: 'listener' },
	});
	await h.app.notifier.settled();
	expect(received.filter((r) => r.path === `/gone/${user.user.id}`)).toHaveLength(1);
	const rows = await h.app.db
		.selectFrom('push_subscriptions')
		.select('id')
		.where('user_id', '=', user.user.id)
		.execute();
	expect(rows).toEqual([]);
});

test('endpoints must be https on a public address; loopback only with the explicit setting', async () => {
	const user = await signup(h.app);
	const keys = browserKeys();
	const put = (app: typeof h.app, url: string) =>
		call<{ error: { fields: Record<string, string> } }>(app, 'PUT', '/api/me/push-subscriptions', {
			token: user.token,
			body: { endpoint: url, keys: { p256dh: keys.p256dh, auth: keys.auth } },
		});
	for (const url of [
		'http://push.example.com/x',
		'https://10.1.2.3/x',
		'https://169.254.169.254/x',
		'https://[fd00::1]/x',
		'not a url',
	]) {
		const res = await put(h.app, url);
		expect(res.status, url).toBe(400);
		expect(res.body.error.fields.endpoint, url).toBeTruthy();
	}
	const strict = await h.build({ webPush: { ...vapid, allowLoopback: false } });
	try {
		for (const url of [endpoint('/x'), 'https://localhost/x', 'https://[::1]/x']) {
			expect((await put(strict, url)).status, url).toBe(400);
		}
		expect((await put(strict, 'https://push.example.com/x')).status).toBe(204);
	} finally {
		await strict.close();
	}
	const bad = await call(h.app, 'PUT', '/api/me/push-subscriptions', {
		token: user.token,
		body: { endpoint: endpoint('/x'), keys: { p256dh: 'not base64!', auth: keys.auth } },
	});
	expect(bad.status).toBe(400);
});
