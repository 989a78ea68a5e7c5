import { CloseCode } from '@majlis/protocol';
import { expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// Revoked sessions reach live sockets: the API publishes user.sessions-revoked and the node closes the
// user's socket (Unauthorized), without banning them.

let h: Harness;
useHarness((started) => {
	h = started;
});

test('after log-out everywhere the token fails on REST and the live socket closes', async () => {
	const host = await h.user('host');
	const listener = await h.user('listener');
	const room = await h.room(host);
	const hostSide = await h.join(host, room.id);
	const listenerSide = await h.join(listener, room.id);

	await h.call('POST', '/api/auth/logout-all', listener.token);
	expect((await listenerSide.client.closed).code).toBe(CloseCode.Unauthorized);
	await expect(h.call('GET', '/api/me', listener.token)).rejects.toThrow(/401/);
	// Others stay; the host is still connected and can act.
	await hostSide.client.request('listeners:list', { offset: 0, limit: 10 });
});
