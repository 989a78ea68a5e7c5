import type { JoinResponse } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';
import { RecvTransport } from './support/webrtc.js';

// Reach (issue 14): an anonymous listener of a public room over real sockets. Counted in the audience,
// served the room, refused (account_required) everything that needs an account.
describe('anonymous listeners', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	async function anonymous(roomId: string) {
		const { signallingUrl, ticket } = await h.call<JoinResponse>('POST', `/api/rooms/${roomId}/join`, null);
		const client = await h.connect(signallingUrl, 'anonymous');
		const joined = await client.join(ticket, { roomId });

		return { client, ...joined };
	}

	test('counted in the audience; hands, reactions, chat and the microphone answer account_required', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const mark = hostSide.client.mark;
		const anon = await anonymous(room.id);
		expect(anon.snapshot.self.role).toBe('listener');
		await expect
			.poll(() => hostSide.client.all('listeners:count', mark).at(-1)?.count, { timeout: 5_000 })
			.toBe(1);

		const refused = async (type: string, data: unknown) =>
			anon.client
				.request(type as 'hand:raise', data as Record<string, never>)
				.then(() => 'ok')
				.catch((error: { code: string }) => error.code);
		expect(await refused('hand:raise', {})).toBe('account_required');
		expect(await refused('reaction:send', { reaction: 'heart' })).toBe('account_required');
		expect(await refused('chat:send', { text: 'hello' })).toBe('account_required');
		expect(await refused('mic:unmute', {})).toBe('account_required');
		expect(await refused('stage:accept', {})).toBe('account_required');
		// What listening needs is served.
		expect(await refused('chat:history', {})).toBe('ok');
		expect(await refused('listeners:list', {})).toBe('ok');
		// Nothing reached the host: no hand in the queue.
		expect(hostSide.client.all('hand:raised', mark)).toEqual([]);
		expect(h.problems()).toEqual([]);
	});

	test('hears the stage the way the web client receives it: the whole stage in one round', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		await h.speakingHost(host, room.id);
		const anon = await anonymous(room.id);
		const recv = await RecvTransport.create(anon.client, 'udp', { batch: true });
		h.defer(() => recv.close());
		expect([...recv.consumers.values()]).toEqual([host.user.id]);
		await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
		expect(recv.errors).toEqual([]);
	});

	test('a moderator can remove an anonymous listener (no account to ban: they just go)', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const anon = await anonymous(room.id);
		const listeners = await hostSide.client.request('listeners:list', {});
		const target = listeners.items.find((l) => l.handle === '');
		expect(target).toBeDefined();
		await hostSide.client.request('peer:remove', { userId: target?.id ?? '' });
		const closed = await anon.client.closed;
		expect(closed.code).toBe(4003);
		expect(h.problems()).toEqual([]);
	});

	test('a private room gives no anonymous ticket', async () => {
		const host = await h.user('host');
		const room = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Guests only',
			visibility: 'private',
		});
		await h.call('POST', `/api/rooms/${room.id}/start`, host.token);
		await expect(h.call('POST', `/api/rooms/${room.id}/join`, null)).rejects.toThrow(/→ 401/);
	});
});
