import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRoom, type Harness, listenLocally, setup, signup } from './helper.js';

// API and SFU apart: `/api/internal/*` (service-token routes the SFU calls) answers only on the internal
// port; the public port says 404 as for any unknown route. Real sockets: the port is the point.

async function get(url: string, token?: string): Promise<{ status: number; body: unknown }> {
	const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

	return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe('with an internal port', () => {
	let h: Harness;
	let publicUrl: string;
	let internalUrl: string;
	beforeAll(async () => {
		h = await setup({ internalPort: 0, internalHost: '127.0.0.1' });
		publicUrl = await listenLocally(h.app);
		internalUrl = `http://127.0.0.1:${h.app.internalPort()}`;
	});
	afterAll(() => h?.close());

	test('internal routes 404 on the public port and work on the internal one', async () => {
		const host = await signup(h.app);
		const room = await createRoom(h.app, host.token);
		const service = await h.app.tokens.signServiceToken('sfu');
		expect(h.app.internalPort()).not.toBe((h.app.server.address() as AddressInfo).port);

		const onPublic = await get(`${publicUrl}/api/internal/rooms/${room.id}`, service);
		expect(onPublic).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
		// Not even an authentication answer that would reveal the route.
		expect((await get(`${publicUrl}/api/internal/rooms/${room.id}`)).status).toBe(404);
		expect((await get(`${publicUrl}/api/%69nternal/rooms/${room.id}`, service)).status).toBe(404);

		const onInternal = await get(`${internalUrl}/api/internal/rooms/${room.id}`, service);
		expect(onInternal).toMatchObject({ status: 200, body: { id: room.id } });
		// The service token is still required there.
		expect((await get(`${internalUrl}/api/internal/rooms/${room.id}`)).status).toBe(401);
	});

	test('the internal port serves health but not the public API; the public port serves the public API', async () => {
		const user = await signup(h.app);
		expect((await get(`${internalUrl}/api/health`)).status).toBe(200);
		expect((await get(`${internalUrl}/api/me`, user.token)).status).toBe(404);
		expect((await get(`${publicUrl}/api/me`, user.token)).status).toBe(200);
		expect((await get(`${publicUrl}/api/health`)).status).toBe(200);
	});
});

describe('without one (the single process)', () => {
	let h: Harness;
	let publicUrl: string;
	beforeAll(async () => {
		h = await setup();
		publicUrl = await listenLocally(h.app);
	});
	afterAll(() => h?.close());

	test('internal routes stay on the one port', async () => {
		const host = await signup(h.app);
		const room = await createRoom(h.app, host.token);
		const service = await h.app.tokens.signServiceToken('sfu');
		expect(h.app.internalPort()).toBeUndefined();
		expect(await get(`${publicUrl}/api/internal/rooms/${room.id}`, service)).toMatchObject({
			status: 200,
			body: { id: room.id },
		});
	});
});
