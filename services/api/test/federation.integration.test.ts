import { type AddressInfo, connect, type Socket } from 'node:net';
import tls from 'node:tls';
import type { CreatedApiToken, FederationSettings, FediverseFollow, FediversePost } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	expectStatus,
	type Harness,
	inFuture,
	PASSWORD,
	selfSignedCertificate,
	setup,
	signup,
	type TestUser,
	waitFor,
} from './helper.js';

// Two Majlis instances federate over loopback, for real: each is an API app behind its own HTTPS port
// (WebFinger lookups of `@user@host` are always https), each with its own database. Fedify signs every
// delivery and checks every signature; FEDERATION_ALLOW_PRIVATE lets it reach 127.0.0.1.

interface Instance {
	h: Harness;
	/** Its public URL, https://127.0.0.1:<port>. */
	url: string;
	/** `host:port`, the domain of its fediverse addresses. */
	domain: string;
	close(): Promise<void>;
}

let key: Buffer;
let cert: string;
let a: Instance;
let b: Instance;
const defaultCas = tls.getCACertificates('default');

/** An API app behind a TLS port of its own (the TLS is ended here and the bytes passed to the app). */
async function startInstance(): Promise<Instance> {
	let appPort = 0;
	const sockets = new Set<Socket>();
	const proxy = tls.createServer({ key, cert }, (socket) => {
		const upstream = connect(appPort, '127.0.0.1');
		for (const s of [socket, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => {
				socket.destroy();
				upstream.destroy();
			});
		}
		socket.pipe(upstream).pipe(socket);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const domain = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	const url = `https://${domain}`;
	const h = await setup({ federation: { publicUrl: url, allowPrivate: true } });
	await h.app.listen({ port: 0, host: '127.0.0.1' });
	appPort = (h.app.server.address() as AddressInfo).port;

	return {
		h,
		url,
		domain,
		async close() {
			for (const s of sockets) {
				s.destroy();
			}
			await new Promise((resolve) => proxy.close(resolve));
			await h.close();
		},
	};
}

async function share(instance: Instance, user: TestUser): Promise<FederationSettings> {
	return expectStatus<FederationSettings>(200, instance.h.app, 'PUT', '/api/me/federation', {
		token: user.token,
		body: { enabled: true },
	});
}

async function feed(user: TestUser): Promise<FediversePost[]> {
	return (
		await expectStatus<{ items: FediversePost[] }>(200, b.h.app, 'GET', '/api/me/federation/feed', {
			token: user.token,
		})
	).items;
}

beforeAll(async () => {
	({ key, cert } = selfSignedCertificate());
	// Both instances (in this process) trust the test certificate, as real servers trust real ones.
	tls.setDefaultCACertificates([...defaultCas, cert]);
	a = await startInstance();
	b = await startInstance();
}, 60_000);

afterAll(async () => {
	await a?.close();
	await b?.close();
	tls.setDefaultCACertificates(defaultCas);
});

describe('two instances on loopback', () => {
	let host: TestUser;
	let fan: TestUser;
	let follow: FediverseFollow;

	test('a user on B follows a host on A through WebFinger; A records the follower and accepts', async () => {
		host = await signup(a.h.app);
		fan = await signup(b.h.app);
		// Not shared yet: WebFinger does not know the host.
		const hidden = await fetch(
			`${a.url}/.well-known/webfinger?resource=acct:${host.user.handle}@${a.domain}`
		);
		expect(hidden.status).toBe(404);

		const settings = await share(a, host);
		expect(settings).toEqual({ available: true, enabled: true, address: `@${host.user.handle}@${a.domain}` });
		// Following needs sharing on (the followed account must be able to see who follows it).
		const refused = await call(b.h.app, 'POST', '/api/me/federation/following', {
			token: fan.token,
			body: { address: settings.address },
		});
		expect(refused.status).toBe(409);
		await share(b, fan);

		const finger = await fetch(
			`${a.url}/.well-known/webfinger?resource=acct:${host.user.handle}@${a.domain}`
		);
		expect(finger.status).toBe(200);
		const jrd = (await finger.json()) as { links: { rel: string; href: string }[] };
		const self = jrd.links.find((l) => l.rel === 'self')?.href;
		expect(self).toBe(`${a.url}/ap/users/${host.user.id}`);

		follow = await expectStatus<FediverseFollow>(201, b.h.app, 'POST', '/api/me/federation/following', {
			token: fan.token,
			body: { address: settings.address },
		});
		expect(follow).toMatchObject({ actorUrl: self, address: settings.address, name: host.user.displayName });

		// A verified B's signed Follow (fetching B's actor key), stored B's inbox, and sent a signed Accept.
		const follower = await waitFor('A to record the follower', async () =>
			a.h.app.db
				.selectFrom('federation_followers')
				.selectAll()
				.where('user_id', '=', host.user.id)
				.executeTakeFirst()
		);
		expect(follower).toMatchObject({
			actor_iri: `${b.url}/ap/users/${fan.user.id}`,
			inbox: `${b.url}/ap/users/${fan.user.id}/inbox`,
			shared_inbox: `${b.url}/ap/inbox`,
		});
		await waitFor('B to get the Accept', async () => {
			const list = await expectStatus<{ items: FediverseFollow[] }>(
				200,
				b.h.app,
				'GET',
				'/api/me/federation/following',
				{
					token: fan.token,
				}
			);

			return list.items.find((f) => f.id === follow.id && f.accepted);
		});
	});

	test('starting a public room delivers a signed Create with the room link; ending it an Update', async () => {
		// A private room is never federated: started first, it must not show up before the public one.
		const secret = await createRoom(a.h.app, host.token, { title: 'Private', visibility: 'private' });
		await expectStatus(200, a.h.app, 'POST', `/api/rooms/${secret.id}/start`, { token: host.token });
		await expectStatus(200, a.h.app, 'POST', `/api/rooms/${secret.id}/end`, { token: host.token });

		const room = await createRoom(a.h.app, host.token, { title: 'Fediverse hour' });
		await expectStatus(200, a.h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const link = `${a.url}/rooms/${room.id}`;
		const live = await waitFor('B to store the live note', async () =>
			(await feed(fan)).find((p) => p.url === link)
		);
		expect(live).toMatchObject({
			id: `${a.url}/ap/rooms/${room.id}/live`,
			kind: 'note',
			name: 'Fediverse hour',
			endsAt: null,
			author: { address: `@${host.user.handle}@${a.domain}` },
		});
		expect(live.content).toContain('Live now: Fediverse hour');
		expect(live.content).toContain(link);
		expect((await feed(fan)).some((p) => p.url?.includes(secret.id))).toBe(false);

		// The object itself is served at its id, as ActivityPub JSON.
		const note = await fetch(live.id, { headers: { accept: 'application/activity+json' } });
		expect(note.status).toBe(200);
		expect(await note.json()).toMatchObject({ type: 'Note', url: link });
		const privateNote = await fetch(`${a.url}/ap/rooms/${secret.id}/live`, {
			headers: { accept: 'application/activity+json' },
		});
		expect(privateNote.status).toBe(404);

		await expectStatus(200, a.h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
		const ended = await waitFor('B to see the room end', async () =>
			(await feed(fan)).find((p) => p.url === link && p.endsAt !== null)
		);
		expect(ended.content).toContain('Ended: Fediverse hour');
	});

	test('scheduling a public room delivers an Event; an edit updates it; cancelling it or making it private retracts it (Delete)', async () => {
		const when = inFuture(86_400_000);
		const room = await createRoom(a.h.app, host.token, { title: 'Tomorrow', scheduledFor: when });
		const eventId = `${a.url}/ap/rooms/${room.id}`;
		const event = await waitFor('B to store the event', async () =>
			(await feed(fan)).find((p) => p.id === eventId)
		);
		expect(event).toMatchObject({ kind: 'event', name: 'Tomorrow', url: `${a.url}/rooms/${room.id}` });
		expect(new Date(event.startsAt!).getTime()).toBe(new Date(when).getTime());

		await expectStatus(204, a.h.app, 'DELETE', `/api/rooms/${room.id}`, { token: host.token });
		await waitFor('B to drop the retracted event', async () =>
			(await feed(fan)).some((p) => p.id === eventId) ? undefined : true
		);

		// A public room made private afterwards is retracted too.
		const later = await createRoom(a.h.app, host.token, { title: 'Soon private', scheduledFor: when });
		const laterId = `${a.url}/ap/rooms/${later.id}`;
		await waitFor('B to store the second event', async () => (await feed(fan)).find((p) => p.id === laterId));
		// An edit reaches followers as an Update of the Event.
		await expectStatus(200, a.h.app, 'PATCH', `/api/rooms/${later.id}`, {
			token: host.token,
			body: { title: 'Renamed' },
		});
		await waitFor('B to see the new title', async () =>
			(await feed(fan)).find((p) => p.id === laterId && p.name === 'Renamed')
		);
		await expectStatus(200, a.h.app, 'PATCH', `/api/rooms/${later.id}`, {
			token: host.token,
			body: { visibility: 'private' },
		});
		await waitFor('B to drop the event of the room made private', async () =>
			(await feed(fan)).some((p) => p.id === laterId) ? undefined : true
		);
	});

	test('an unsigned activity is refused by the inbox (signatures are checked)', async () => {
		const actor = `${a.url}/ap/users/${host.user.id}`;
		const forged = {
			'@context': 'https://www.w3.org/ns/activitystreams',
			id: `${actor}#forged`,
			type: 'Create',
			actor,
			object: {
				id: `${actor}#forged-note`,
				type: 'Note',
				attributedTo: actor,
				content: 'forged',
				url: 'https://evil.example/',
			},
		};
		const res = await fetch(`${b.url}/ap/users/${fan.user.id}/inbox`, {
			method: 'POST',
			headers: { 'content-type': 'application/activity+json' },
			body: JSON.stringify(forged),
		});
		expect(res.status).toBe(401);
		expect((await feed(fan)).some((p) => p.id.endsWith('#forged-note'))).toBe(false);
	});

	test('unfollowing sends Undo: A forgets the follower', async () => {
		await expectStatus(204, b.h.app, 'DELETE', `/api/me/federation/following/${follow.id}`, {
			token: fan.token,
		});
		await waitFor('A to forget the follower', async () => {
			const row = await a.h.app.db
				.selectFrom('federation_followers')
				.select('actor_iri')
				.where('user_id', '=', host.user.id)
				.executeTakeFirst();

			return row ? undefined : true;
		});
	});
});

describe('an account that is deleted', () => {
	test('followers get a Delete of the actor: B forgets the account and its rooms; A keeps nothing of it', async () => {
		const leaving = await signup(a.h.app);
		const reader = await signup(b.h.app);
		const { address } = await share(a, leaving);
		await share(b, reader);
		const followed = await expectStatus<FediverseFollow>(
			201,
			b.h.app,
			'POST',
			'/api/me/federation/following',
			{
				token: reader.token,
				body: { address },
			}
		);
		await waitFor('A to record the follower', async () =>
			a.h.app.db
				.selectFrom('federation_followers')
				.select('actor_iri')
				.where('user_id', '=', leaving.user.id)
				.executeTakeFirst()
		);
		const room = await createRoom(a.h.app, leaving.token, { title: 'Last words' });
		await expectStatus(200, a.h.app, 'POST', `/api/rooms/${room.id}/start`, { token: leaving.token });
		await waitFor('B to store the live note', async () =>
			(await feed(reader)).find((p) => p.url === `${a.url}/rooms/${room.id}`)
		);

		await expectStatus(204, a.h.app, 'DELETE', '/api/me', {
			token: leaving.token,
			body: { password: PASSWORD },
		});

		// B verified the Delete (signed with the key it had cached) and dropped the follow and the rooms.
		await waitFor('B to forget the deleted account', async () => {
			const rows = await b.h.app.db
				.selectFrom('federation_following')
				.select('id')
				.where('id', '=', followed.id)
				.execute();

			return rows.length === 0 ? true : undefined;
		});
		expect(await feed(reader)).toEqual([]);
		// A holds no key, follower or actor of the account any more, and the actor is gone.
		for (const table of ['federation_actors', 'federation_followers', 'federation_following'] as const) {
			const rows = await a.h.app.db
				.selectFrom(table)
				.select('user_id')
				.where('user_id', '=', leaving.user.id)
				.execute();
			expect(rows, table).toEqual([]);
		}
		const actor = await fetch(`${a.url}/ap/users/${leaving.user.id}`, {
			headers: { accept: 'application/activity+json' },
		});
		expect(actor.status).toBe(404);
	});
});

describe('who may do what', () => {
	test('anonymous callers get 401; API tokens only read; bad and unknown addresses are refused', async () => {
		const app = a.h.app;
		const routes: [string, string, unknown?][] = [
			['GET', '/api/me/federation'],
			['PUT', '/api/me/federation', { enabled: true }],
			['GET', '/api/me/federation/following'],
			['POST', '/api/me/federation/following', { address: `@someone@${b.domain}` }],
			['DELETE', '/api/me/federation/following/00000000-0000-4000-8000-000000000000'],
			['GET', '/api/me/federation/feed'],
		];
		for (const [method, url, body] of routes) {
			expect((await call(app, method as 'GET', url, { body })).status, `${method} ${url}`).toBe(401);
		}

		const user = await signup(app);
		await share(a, user);
		const { token } = await expectStatus<CreatedApiToken>(201, app, 'POST', '/api/me/tokens', {
			token: user.token,
			body: { name: 'reader', scopes: ['read'] },
		});
		const byToken = async (method: string, url: string, body?: unknown) =>
			(await call(app, method as 'GET', url, { token, body })).status;
		expect(await byToken('GET', '/api/me/federation')).toBe(200);
		expect(await byToken('GET', '/api/me/federation/feed')).toBe(200);
		expect(await byToken('PUT', '/api/me/federation', { enabled: false })).toBe(403);
		expect(await byToken('POST', '/api/me/federation/following', { address: `@x@${b.domain}` })).toBe(403);

		const bad = await call<{ error: { fields: Record<string, string> } }>(
			app,
			'POST',
			'/api/me/federation/following',
			{
				token: user.token,
				body: { address: 'not an address' },
			}
		);
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.address).toBeDefined();
		// Nobody by that name on B, and someone on B who does not share: neither can be found.
		const stranger = await signup(b.h.app);
		for (const address of [`@nobody_here@${b.domain}`, `@${stranger.user.handle}@${b.domain}`]) {
			const missing = await call(app, 'POST', '/api/me/federation/following', {
				token: user.token,
				body: { address },
			});
			expect(missing.status, address).toBe(404);
		}
		// One's own follows only.
		const other = await signup(app);
		await share(a, other);
		const mine = await expectStatus<FediverseFollow>(201, app, 'POST', '/api/me/federation/following', {
			token: user.token,
			body: { address: (await share(b, stranger)).address },
		});
		expect(
			(await call(app, 'DELETE', `/api/me/federation/following/${mine.id}`, { token: other.token })).status
		).toBe(404);
		expect(
			(await call(app, 'DELETE', `/api/me/federation/following/${mine.id}`, { token: user.token })).status
		).toBe(204);
	});
});

describe('limits of the ActivityPub routes', () => {
	let limited: Harness;
	beforeAll(async () => {
		limited = await setup({
			rateLimits: true,
			federation: { publicUrl: 'https://fed.example', allowPrivate: false },
		});
	});
	afterAll(async () => {
		await limited?.close();
	});

	test('NodeInfo says what this is; an inbox refuses bodies over 256 KiB and floods from one address', async () => {
		// Their media types are not plain JSON (JRD, NodeInfo's profile): read the bodies as text.
		const json = async (url: string) => {
			const res = await limited.app.inject({ method: 'GET', url });
			expect(res.statusCode, url).toBe(200);

			return JSON.parse(res.body) as Record<string, unknown>;
		};
		expect(await json('/.well-known/nodeinfo')).toMatchObject({
			links: [{ href: 'https://fed.example/nodeinfo/2.1' }],
		});
		expect(await json('/nodeinfo/2.1')).toMatchObject({
			software: { name: 'majlis' },
			protocols: ['activitypub'],
		});

		const remoteAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.9`;
		const post = (body: string) =>
			limited.app.inject({
				method: 'POST',
				url: '/ap/inbox',
				remoteAddress,
				headers: { 'content-type': 'application/activity+json' },
				payload: body,
			});
		expect((await post('x'.repeat(256 * 1024 + 1))).statusCode).toBe(413);
		const statuses: number[] = [];
		for (let i = 0; i < 301; i++) {
			statuses.push((await post('{}')).statusCode);
		}
		// Not an activity, so refused, until the address is over its limit.
		expect([...new Set(statuses.slice(0, 299))]).toEqual([400]);
		expect(statuses.at(-1)).toBe(429);
	});
});

describe('federation switched off', () => {
	let off: Harness;
	beforeAll(async () => {
		off = await setup();
	});
	afterAll(async () => {
		await off?.close();
	});

	test('every ActivityPub route answers 404 and the setting says unavailable', async () => {
		const user = await signup(off.app);
		for (const url of [
			`/.well-known/webfinger?resource=acct:${user.user.handle}@localhost`,
			'/.well-known/nodeinfo',
			`/ap/users/${user.user.id}`,
			'/ap/inbox',
		]) {
			expect((await call(off.app, 'GET', url)).status, url).toBe(404);
		}
		expect((await call(off.app, 'POST', '/ap/inbox', { body: {} })).status).toBe(404);
		expect(await expectStatus(200, off.app, 'GET', '/api/me/federation', { token: user.token })).toEqual({
			available: false,
			enabled: false,
			address: null,
		});
		expect(
			(await call(off.app, 'PUT', '/api/me/federation', { token: user.token, body: { enabled: true } }))
				.status
		).toBe(404);
	});
});
