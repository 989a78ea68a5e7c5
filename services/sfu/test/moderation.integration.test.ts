import { CloseCode, type Room as RoomView, roomNodeKey } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, type SfuNodeHandle, type TestUser, useHarness } from './support/harness.js';

// Removal, ending, API-driven changes and the host's grace period, with the real API as system of record.
describe('moderation', () => {
	let h: Harness;
	let quick: SfuNodeHandle;
	const GRACE_MS = 800;

	beforeAll(async () => {
		h = await Harness.start();
		quick = await h.addNode({ hostGraceMs: GRACE_MS });
	});

	afterAll(async () => {
		await h?.close();
	});

	async function appoint(host: TestUser, roomId: string, role: 'cohosts' | 'moderators', user: TestUser) {
		await h.call('PUT', `/api/rooms/${roomId}/${role}/${user.user.id}`, host.token);
	}

	async function roomState(roomId: string, token: string): Promise<string> {
		return (await h.call<RoomView>('GET', `/api/rooms/${roomId}`, token)).state;
	}

	test('removing a user disconnects them, persists the ban, and refuses their return', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const mod = await h.user('mod');
		const target = await h.user('target');
		const room = await h.room(host);
		await appoint(host, room.id, 'cohosts', cohost);
		await appoint(host, room.id, 'moderators', mod);
		const hostSide = await h.join(host, room.id);
		const cohostSide = await h.join(cohost, room.id);
		const modSide = await h.join(mod, room.id);
		const targetSide = await h.join(target, room.id);
		await targetSide.client.request('hand:raise');
		await modSide.client.waitFor('hand:raised');
		const spareTicket = await h.ticket(target, room.id);

		// Nobody removes the host or an equal; listeners remove nobody.
		expect(await cohostSide.client.refusal('peer:remove', { userId: host.user.id })).toBe('forbidden');
		expect(await modSide.client.refusal('peer:remove', { userId: cohost.user.id })).toBe('forbidden');
		expect(await targetSide.client.refusal('peer:remove', { userId: mod.user.id })).toBe('forbidden');

		await modSide.client.request('peer:remove', { userId: target.user.id });
		expect(await targetSide.client.waitFor('session:closing')).toEqual({ reason: 'removed' });
		expect((await targetSide.client.closed).code).toBe(CloseCode.Removed);
		await hostSide.client.waitFor('hand:lowered', (x) => x.userId === target.user.id);
		expect((await h.record(room.id)).banned).toContain(target.user.id);

		// A ticket issued before the removal is refused by the SFU; the API issues no new one.
		const back = await h.connect(spareTicket.signallingUrl, 'back');
		await expect(back.join(spareTicket.ticket, { roomId: room.id })).rejects.toMatchObject({
			code: 'banned',
		});
		expect((await back.closed).code).toBe(CloseCode.Removed);
		await h.call('POST', `/api/rooms/${room.id}/join`, target.token, undefined, [403]);
		expect(h.problems()).toEqual([]);
	});

	test('only the host ends the room; then every socket closes and Postgres says ended', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await appoint(host, room.id, 'cohosts', cohost);
		const hostSide = await h.join(host, room.id);
		const cohostSide = await h.join(cohost, room.id);
		const listenerSide = await h.join(listener, room.id);
		const lateTicket = await h.ticket(listener, room.id);

		expect(await cohostSide.client.refusal('room:end')).toBe('forbidden');
		expect(await listenerSide.client.refusal('room:end')).toBe('forbidden');
		await hostSide.client.request('room:end');
		for (const side of [hostSide, cohostSide, listenerSide]) {
			expect(await side.client.waitFor('room:ended')).toEqual({ reason: 'host' });
			expect((await side.client.closed).code).toBe(CloseCode.RoomEnded);
		}
		expect(await roomState(room.id, host.token)).toBe('ended');
		expect(h.node.sfu.room(room.id)).toBeUndefined();
		// Rejoining an ended room: refused by the SFU with an old ticket, and by the API.
		const late = await h.connect(lateTicket.signallingUrl, 'late');
		await expect(late.join(lateTicket.ticket)).rejects.toMatchObject({ code: 'room_ended' });
		expect((await late.closed).code).toBe(CloseCode.RoomEnded);
		await h.call('POST', `/api/rooms/${room.id}/join`, listener.token, undefined, [409]);
		expect(h.problems()).toEqual([]);
	});

	test('ending the room through the API closes it live', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await h.join(host, room.id);
		const listenerSide = await h.join(listener, room.id);
		await h.call('POST', `/api/rooms/${room.id}/end`, host.token);
		expect(await listenerSide.client.waitFor('room:ended')).toEqual({ reason: 'api' });
		expect((await listenerSide.client.closed).code).toBe(CloseCode.RoomEnded);
	});

	test('role changes made through the API reach the live room within a second', async () => {
		const host = await h.user('host');
		const a = await h.user('a');
		const b = await h.user('b');
		const raiser = await h.user('raiser');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const aSide = await h.join(a, room.id);
		const bSide = await h.join(b, room.id);
		const raiserSide = await h.join(raiser, room.id);
		await raiserSide.client.request('hand:raise');
		await hostSide.client.waitFor('hand:raised');

		let started = Date.now();
		await appoint(host, room.id, 'moderators', a);
		await aSide.client.waitFor('self:state', (s) => s.role === 'moderator', { timeoutMs: 1000 });
		expect(Date.now() - started).toBeLessThan(1000);
		// A new moderator sees the queue as it stands, and may now invite.
		await aSide.client.waitFor('hand:raised', (hand) => hand.user.id === raiser.user.id, { timeoutMs: 1000 });
		await aSide.client.request('stage:invite', { userId: raiser.user.id });

		started = Date.now();
		await appoint(host, room.id, 'cohosts', b);
		const member = await hostSide.client.waitFor('stage:member', (m) => m.userId === b.user.id, {
			timeoutMs: 1000,
		});
		expect(Date.now() - started).toBeLessThan(1000);
		expect(member).toMatchObject({ role: 'cohost', muted: true });
		await bSide.client.waitFor('self:state', (s) => s.role === 'cohost' && s.onStage);

		await h.call('DELETE', `/api/rooms/${room.id}/cohosts/${b.user.id}`, host.token);
		await hostSide.client.waitFor('stage:member', (m) => m.userId === b.user.id && m.role === 'speaker', {
			timeoutMs: 1000,
		});
		await h.call('DELETE', `/api/rooms/${room.id}/moderators/${a.user.id}`, host.token);
		await aSide.client.waitFor('self:state', (s) => s.role === 'listener', { timeoutMs: 1000 });
		expect(await aSide.client.refusal('stage:invite', { userId: host.user.id })).toBe('forbidden');
	});

	test('settings changed through the API reach the room; turning requests off lowers hands', async () => {
		const host = await h.user('host');
		const raiser = await h.user('raiser');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const raiserSide = await h.join(raiser, room.id);
		await raiserSide.client.request('hand:raise');
		await h.call('PATCH', `/api/rooms/${room.id}`, host.token, { speakRequests: 'off', title: 'Quiet now' });
		expect(await raiserSide.client.waitFor('room:updated')).toMatchObject({
			speakRequests: 'off',
			title: 'Quiet now',
		});
		await hostSide.client.waitFor('hand:lowered', (x) => x.userId === raiser.user.id);
		await raiserSide.client.waitFor('self:state', (s) => !s.handRaised);
		expect(await raiserSide.client.refusal('hand:raise')).toBe('forbidden');
	});

	test('host grace: the longest-serving co-host present takes over (and the API records it)', async () => {
		const host = await h.user('host');
		const first = await h.user('first');
		const second = await h.user('second');
		const listener = await h.user('listener');
		const room = await h.room(host, {}, quick);
		await appoint(host, room.id, 'cohosts', first);
		await appoint(host, room.id, 'cohosts', second);
		const hostSide = await h.join(host, room.id);
		const firstSide = await h.join(first, room.id);
		const secondSide = await h.join(second, room.id);
		const listenerSide = await h.join(listener, room.id);

		hostSide.client.terminate();
		const away = await listenerSide.client.waitFor('host:away');
		expect(away.until).toBeGreaterThan(Date.now());
		expect(away.until).toBeLessThanOrEqual(Date.now() + GRACE_MS);
		expect(
			await listenerSide.client.waitFor('host:changed', () => true, { timeoutMs: GRACE_MS + 3000 })
		).toEqual({
			userId: first.user.id,
		});
		await firstSide.client.waitFor('self:state', (s) => s.role === 'host' && s.onStage);
		await secondSide.client.waitFor('stage:left', (x) => x.userId === host.user.id);
		const record = await h.record(room.id);
		expect(record.hostId).toBe(first.user.id);
		expect(record.cohosts.map((u) => u.id)).toContain(host.user.id);
		// The new host has the host's powers.
		await firstSide.client.request('room:end');
		expect(await listenerSide.client.waitFor('room:ended')).toEqual({ reason: 'host' });
	});

	test('host grace: with no co-host present the room ends', async () => {
		const host = await h.user('host');
		const cohost = await h.user('absent');
		const listener = await h.user('listener');
		const room = await h.room(host, {}, quick);
		await appoint(host, room.id, 'cohosts', cohost);
		const hostSide = await h.join(host, room.id);
		const listenerSide = await h.join(listener, room.id);
		await hostSide.client.request('session:leave');
		await listenerSide.client.waitFor('host:away');
		expect(
			await listenerSide.client.waitFor('room:ended', () => true, { timeoutMs: GRACE_MS + 3000 })
		).toEqual({
			reason: 'no-host',
		});
		expect((await listenerSide.client.closed).code).toBe(CloseCode.RoomEnded);
		expect(await roomState(room.id, host.token)).toBe('ended');
	});

	test('host grace: a host back in time keeps the room', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const room = await h.room(host, {}, quick);
		await appoint(host, room.id, 'cohosts', cohost);
		const hostSide = await h.join(host, room.id);
		const cohostSide = await h.join(cohost, room.id);
		hostSide.client.terminate();
		await cohostSide.client.waitFor('host:away');
		const back = await h.join(host, room.id, 'host-back');
		expect(back.snapshot.self).toMatchObject({ role: 'host', onStage: true });
		expect(back.snapshot.hostAwayUntil).toBeNull();
		await cohostSide.client.waitFor('host:changed', (x) => x.userId === host.user.id);
		await new Promise((r) => setTimeout(r, GRACE_MS + 400));
		expect((await h.record(room.id)).hostId).toBe(host.user.id);
		expect(cohostSide.client.all('room:ended')).toEqual([]);
		expect(h.problems()).toEqual([]);
	});
});

describe('takeover', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('another node takes a room over from the live state in the bus', async () => {
		const host = await h.user('host');
		const speaker = await h.user('speaker');
		const raiser = await h.user('raiser');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const speakerSide = await h.join(speaker, room.id);
		const raiserSide = await h.join(raiser, room.id);
		await hostSide.client.request('stage:invite', { userId: speaker.user.id });
		await speakerSide.client.request('stage:accept');
		await speakerSide.client.request('mic:unmute');
		await raiserSide.client.request('hand:raise');
		await hostSide.client.waitFor('hand:raised');

		const first = h.node;
		await first.close();
		for (const side of [hostSide, speakerSide, raiserSide]) {
			expect(await side.client.waitFor('session:closing')).toEqual({ reason: 'shutdown' });
			expect((await side.client.closed).code).toBe(CloseCode.Moving);
		}

		const second = await h.addNode();
		h.node = second;
		// The first node released the room; the API would place it on a live node. Pin it to the new one
		// (parallel suites' nodes share the registry when REDIS_URL is set).
		await h.bus.set(roomNodeKey(room.id), second.sfu.nodeId);
		const raiserAgain = await h.join(raiser, room.id);
		expect(raiserAgain.snapshot.self).toMatchObject({ handRaised: true });
		const speakerAgain = await h.join(speaker, room.id);
		expect(speakerAgain.snapshot.self).toMatchObject({ onStage: true, muted: false, role: 'speaker' });
		const hostAgain = await h.join(host, room.id);
		expect(hostAgain.snapshot.stage.map((m) => [m.userId, m.muted])).toEqual([
			[host.user.id, true],
			[speaker.user.id, false],
		]);
		expect(hostAgain.snapshot.hands?.map((x) => x.user.id)).toEqual([raiser.user.id]);
		expect(h.problems()).toEqual([]);
	});
});
