import type { ModerationLog } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// The moderation log over real sockets and the real API: acts on the SFU and through REST reach the
// room's moderators live (nobody else), carry actor, target, time and reason, and stay with the ended
// room; a ban by handle keeps out someone who already left.
describe('moderation log and bans by handle', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('every act is shown to moderators live, with its reason, and kept once the room ended', async () => {
		const host = await h.user('host');
		const mod = await h.user('mod');
		const listener = await h.user('listener');
		const other = await h.user('other');
		const room = await h.room(host);
		await h.call('PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, host.token);
		const hostSide = await h.join(host, room.id);
		const modSide = await h.join(mod, room.id);
		const listenerSide = await h.join(listener, room.id);
		const otherSide = await h.join(other, room.id);

		expect(await listenerSide.client.refusal('moderation:list')).toBe('forbidden');
		const message = await listenerSide.client.request('chat:send', { text: 'buy my stuff' });
		await modSide.client.request('chat:delete', { messageId: message.id, reason: 'spam' });
		const deleted = await hostSide.client.waitFor('moderation:entry', (e) => e.action === 'chatDelete');
		expect(deleted).toMatchObject({
			actor: { id: mod.user.id },
			target: { id: listener.user.id, displayName: listener.user.displayName },
			reason: 'spam',
		});
		await modSide.client.request('chat:mute', { userId: listener.user.id, muted: true });
		await hostSide.client.request('speaker:muteAll');
		await hostSide.client.request('peer:remove', { userId: other.user.id, reason: 'abusive' });
		await otherSide.client.closed;
		// A role change through REST reaches the live log too.
		await h.call('DELETE', `/api/rooms/${room.id}/moderators/${mod.user.id}`, host.token);
		await hostSide.client.waitFor('moderation:entry', (e) => e.action === 'roleChange');

		const { entries } = await hostSide.client.request('moderation:list');
		// The appointment before the room went live is the first entry.
		expect(entries.map((e) => e.action)).toEqual([
			'roleChange',
			'chatDelete',
			'chatMute',
			'muteAll',
			'remove',
			'roleChange',
		]);
		expect(entries[0]).toMatchObject({
			actor: { id: host.user.id },
			target: { id: mod.user.id },
			detail: 'moderator',
		});
		expect(entries[4]).toMatchObject({ target: { id: other.user.id }, reason: 'abusive' });
		expect(entries[5]).toMatchObject({ target: { id: mod.user.id }, detail: 'listener' });
		// Listeners never received an entry.
		expect(listenerSide.client.all('moderation:entry')).toEqual([]);

		await hostSide.client.request('room:end');
		await expect
			.poll(async () => {
				const log = await h.call<ModerationLog>('GET', `/api/rooms/${room.id}/moderation-log`, host.token);

				return log.entries.map((e) => e.action);
			})
			.toEqual(['roleChange', 'chatDelete', 'chatMute', 'muteAll', 'remove', 'roleChange', 'end']);
		// The ended room's log is for its staff only.
		await h.call('GET', `/api/rooms/${room.id}/moderation-log`, listener.token, undefined, [403]);
		expect(h.problems()).toEqual([]);
	});

	test('banned by handle after leaving, they cannot come back; in the room, they are sent away', async () => {
		const host = await h.user('host');
		const mod = await h.user('mod');
		const gone = await h.user('gone');
		const present = await h.user('present');
		const room = await h.room(host);
		await h.call('PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, host.token);
		const hostSide = await h.join(host, room.id);
		const goneSide = await h.join(gone, room.id);
		await goneSide.client.request('session:leave');
		const presentSide = await h.join(present, room.id);

		await h.call(
			'POST',
			`/api/rooms/${room.id}/bans/by-handle`,
			gone.token,
			{ handle: mod.user.handle },
			[403]
		);
		await h.call(
			'POST',
			`/api/rooms/${room.id}/bans/by-handle`,
			mod.token,
			{ handle: host.user.handle },
			[409]
		);
		await h.call('POST', `/api/rooms/${room.id}/bans/by-handle`, mod.token, {
			handle: `@${gone.user.handle}`,
			reason: 'trolling',
		});
		await h.call('POST', `/api/rooms/${room.id}/join`, gone.token, undefined, [403]);
		const ban = await hostSide.client.waitFor('moderation:entry', (e) => e.action === 'ban');
		expect(ban).toMatchObject({
			actor: { id: mod.user.id },
			target: { id: gone.user.id },
			reason: 'trolling',
		});

		await h.call('POST', `/api/rooms/${room.id}/bans/by-handle`, mod.token, { handle: present.user.handle });
		expect(await presentSide.client.waitFor('session:closing')).toEqual({ reason: 'removed' });
		expect((await h.record(room.id)).banned).toEqual(expect.arrayContaining([gone.user.id, present.user.id]));
	});

	test('the host bans someone from all their rooms; only the host may', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const pest = await h.user('pest');
		const live = await h.room(host);
		await h.call('PUT', `/api/rooms/${live.id}/cohosts/${cohost.user.id}`, host.token);
		const later = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Later',
			visibility: 'public',
		});
		const body = { handle: pest.user.handle, allMyRooms: true };
		await h.call('POST', `/api/rooms/${live.id}/bans/by-handle`, cohost.token, body, [403]);
		const reply = await h.call<{ roomIds: string[] }>(
			'POST',
			`/api/rooms/${live.id}/bans/by-handle`,
			host.token,
			body
		);
		expect(reply.roomIds.sort()).toEqual([live.id, later.id].sort());
		await h.call('POST', `/api/rooms/${live.id}/join`, pest.token, undefined, [403]);
	});
});
