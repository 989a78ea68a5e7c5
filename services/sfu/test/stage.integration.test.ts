import { setTimeout as sleep } from 'node:timers/promises';
import { roomPresenceKey, type SpeakRequests } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, type TestUser, useHarness } from './support/harness.js';
import type { TestClient } from './support/TestClient.js';
import { RecvTransport, SendTransport } from './support/webrtc.js';

// Stage and hand-queue rules, refusals included, over the real WebSocket protocol with the real API.
describe('stage', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	async function appoint(host: TestUser, roomId: string, role: 'cohosts' | 'moderators', user: TestUser) {
		await h.call('PUT', `/api/rooms/${roomId}/${role}/${user.user.id}`, host.token);
	}

	async function guest(host: TestUser, roomId: string, user: TestUser, kind: 'speaker' | 'listener') {
		await h.call('PUT', `/api/rooms/${roomId}/guests/${user.user.id}`, host.token, { kind });
	}

	/** A live room with a host, a co-host, a moderator and `n` listeners, all connected. */
	// The host invites, the user accepts and starts sending (their producer starts paused: muted).
	async function bringOnStageAndProduce(
		host: TestClient,
		user: TestClient,
		userId: string
	): Promise<SendTransport> {
		await host.request('stage:invite', { userId });
		await user.request('stage:accept');
		const send = await SendTransport.create(user);
		h.defer(() => send.close());
		await send.produce();

		return send;
	}

	async function cast(n: number, settings: { speakRequests?: SpeakRequests; maxSpeakers?: number } = {}) {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const mod = await h.user('mod');
		const room = await h.room(host, settings);
		await appoint(host, room.id, 'cohosts', cohost);
		await appoint(host, room.id, 'moderators', mod);
		const listeners = await Promise.all(Array.from({ length: n }, (_, i) => h.user(`l${i}`)));
		const hostSide = await h.join(host, room.id);
		const cohostSide = await h.join(cohost, room.id);
		const modSide = await h.join(mod, room.id);
		const listenerSides = [];
		for (const l of listeners) {
			listenerSides.push(await h.join(l, room.id));
		}

		return { room, host, cohost, mod, listeners, hostSide, cohostSide, modSide, listenerSides };
	}

	test('raised hands form a FIFO queue seen by host, co-hosts and moderators only; a hand can be lowered', async () => {
		const c = await cast(4);
		const [a, b, d, watcher] = c.listenerSides;
		const watcherMark = watcher!.client.mark;
		for (const side of [b!, a!, d!]) {
			await side.client.request('hand:raise');
		}
		for (const mod of [c.hostSide, c.cohostSide, c.modSide]) {
			await mod.client.waitFor('hand:raised', (hand) => hand.user.id === d!.snapshot.self.userId);
			expect(mod.client.all('hand:raised').map((hand) => hand.user.id)).toEqual([
				b!.snapshot.self.userId,
				a!.snapshot.self.userId,
				d!.snapshot.self.userId,
			]);
		}
		await b!.client.waitFor('self:state', (s) => s.handRaised);
		// Raising twice keeps the first place.
		await b!.client.request('hand:raise');

		// A moderator who connects later gets the queue in the snapshot, in order; listeners never see it.
		const late = await h.join(c.mod, c.room.id, 'mod-again');
		expect(late.snapshot.hands?.map((hand) => hand.user.id)).toEqual([
			b!.snapshot.self.userId,
			a!.snapshot.self.userId,
			d!.snapshot.self.userId,
		]);
		const peek = await h.join(c.listeners[3]!, c.room.id, 'watcher-again');
		expect(peek.snapshot.hands).toBeUndefined();
		expect(watcher!.client.all('hand:raised', watcherMark)).toEqual([]);

		await a!.client.request('hand:lower');
		await c.hostSide.client.waitFor('hand:lowered', (x) => x.userId === a!.snapshot.self.userId);
		await a!.client.waitFor('self:state', (s) => !s.handRaised);
		const again = await h.join(c.cohost, c.room.id, 'cohost-again');
		expect(again.snapshot.hands?.map((hand) => hand.user.id)).toEqual([
			b!.snapshot.self.userId,
			d!.snapshot.self.userId,
		]);
		expect(h.problems()).toEqual([]);
	});

	test('speakRequests off: nobody raises a hand', async () => {
		const c = await cast(1, { speakRequests: 'off' });
		expect(await c.listenerSides[0]!.client.refusal('hand:raise')).toBe('forbidden');
	});

	test('speakRequests invited: only guest-list entries raise a hand', async () => {
		const host = await h.user('host');
		const invitee = await h.user('invitee');
		const stranger = await h.user('stranger');
		const room = await h.room(host, { speakRequests: 'invited' });
		await guest(host, room.id, invitee, 'listener');
		const hostSide = await h.join(host, room.id);
		const inv = await h.join(invitee, room.id);
		const str = await h.join(stranger, room.id);
		expect(await str.client.refusal('hand:raise')).toBe('forbidden');
		await inv.client.request('hand:raise');
		await hostSide.client.waitFor('hand:raised', (hand) => hand.user.id === invitee.user.id);
		// Added to the guest list while in the room: the change reaches the SFU through the bus.
		await guest(host, room.id, stranger, 'listener');
		await expect
			.poll(() =>
				str.client.request('hand:raise').then(
					() => 'ok',
					(e: Error) => e.message
				)
			)
			.toBe('ok');
	});

	test('invite → accept: the user joins the stage muted; an invitation can be declined', async () => {
		const c = await cast(3);
		const [asker, quiet, other] = c.listenerSides;
		await asker!.client.request('hand:raise');
		await c.modSide.client.waitFor('hand:raised');
		// Listeners cannot invite; nobody comes up without an invitation.
		expect(await other!.client.refusal('stage:invite', { userId: quiet!.snapshot.self.userId })).toBe(
			'forbidden'
		);
		expect(await quiet!.client.refusal('stage:accept')).toBe('forbidden');

		await c.modSide.client.request('stage:invite', { userId: asker!.snapshot.self.userId });
		const invited = await asker!.client.waitFor('stage:invited');
		expect(invited.by.id).toBe(c.mod.user.id);
		await asker!.client.waitFor('self:state', (s) => s.invited && !s.handRaised);
		await c.hostSide.client.waitFor('hand:lowered', (x) => x.userId === asker!.snapshot.self.userId);
		expect(await asker!.client.refusal('transport:create', { direction: 'send' })).toBe('forbidden');

		await asker!.client.request('stage:accept');
		const member = await other!.client.waitFor(
			'stage:member',
			(m) => m.userId === asker!.snapshot.self.userId
		);
		expect(member).toMatchObject({ role: 'speaker', muted: true, hasAudio: false });
		await asker!.client.waitFor(
			'self:state',
			(s) => s.onStage && s.muted && s.role === 'speaker' && !s.invited
		);
		// On stage now: a send transport is allowed.
		expect((await asker!.client.request('transport:create', { direction: 'send' })).id).toEqual(
			expect.any(String)
		);

		// Inviting someone who did not ask is an offer too; they may decline it.
		await c.hostSide.client.request('stage:invite', { userId: quiet!.snapshot.self.userId });
		await quiet!.client.waitFor('stage:invited');
		await quiet!.client.request('stage:decline');
		await quiet!.client.waitFor('self:state', (s) => !s.invited && !s.onStage);
		expect(await quiet!.client.refusal('stage:accept')).toBe('forbidden');
		expect(await quiet!.client.refusal('stage:decline')).toBe('invalid_state');
		expect(await c.hostSide.client.refusal('stage:invite', { userId: asker!.snapshot.self.userId })).toBe(
			'invalid_state'
		);
		expect(h.problems()).toEqual([]);
	});

	test('speaker guests come on stage directly (muted)', async () => {
		const host = await h.user('host');
		const sg = await h.user('sg');
		const room = await h.room(host, { speakRequests: 'off' });
		await guest(host, room.id, sg, 'speaker');
		const hostSide = await h.join(host, room.id);
		const guestSide = await h.join(sg, room.id);
		await guestSide.client.request('stage:accept');
		const m = await hostSide.client.waitFor('stage:member', (x) => x.userId === sg.user.id);
		expect(m).toMatchObject({ muted: true, role: 'speaker' });
	});

	test('maxSpeakers counts host and co-hosts and is enforced', async () => {
		const c = await cast(3, { maxSpeakers: 3 });
		// Host and co-host are on stage already (auto, muted): one place left.
		expect(c.hostSide.snapshot.stage.map((m) => m.role)).toEqual(['host']);
		expect(c.listenerSides[2]!.snapshot.stage.map((m) => m.role)).toEqual(['host', 'cohost']);
		const [a, b, d] = c.listenerSides;
		await c.hostSide.client.request('stage:invite', { userId: a!.snapshot.self.userId });
		await c.hostSide.client.request('stage:invite', { userId: b!.snapshot.self.userId });
		await a!.client.request('stage:accept');
		expect(await b!.client.refusal('stage:accept')).toBe('stage_full');
		expect(await c.hostSide.client.refusal('stage:invite', { userId: d!.snapshot.self.userId })).toBe(
			'stage_full'
		);
		// A place frees up when someone leaves the stage.
		await a!.client.request('stage:remove', {});
		await b!.client.request('stage:accept');
	});

	test('mute: moderators mute (producer paused, audio stops), only the speaker unmutes', async () => {
		const c = await cast(2);
		const [speaker, listener] = c.listenerSides;
		const speakerId = speaker!.snapshot.self.userId;
		const send = await bringOnStageAndProduce(c.hostSide.client, speaker!.client, speakerId);
		await speaker!.client.request('mic:unmute');
		send.startTone();
		h.defer(async () => send.stopTone());
		const recv = await RecvTransport.create(listener!.client);
		h.defer(() => recv.close());
		await expect.poll(() => recv.received(speakerId), { timeout: 10_000 }).toBeGreaterThan(10);

		// Listeners and lower ranks cannot mute.
		expect(await listener!.client.refusal('speaker:mute', { userId: speakerId })).toBe('forbidden');
		expect(await c.modSide.client.refusal('speaker:mute', { userId: c.host.user.id })).toBe('forbidden');
		expect(await c.cohostSide.client.refusal('speaker:mute', { userId: c.host.user.id })).toBe('forbidden');

		await c.modSide.client.request('speaker:mute', { userId: speakerId });
		expect(await listener!.client.waitFor('speaker:muted')).toEqual({ userId: speakerId, by: c.mod.user.id });
		await speaker!.client.waitFor('self:state', (s) => s.muted);
		await sleep(300);
		const frozen = recv.received(speakerId);
		await sleep(500);
		expect(recv.received(speakerId)).toBe(frozen);

		// Nobody else can unmute: the moderator is not on stage, and there is no request to unmute others.
		expect(await c.modSide.client.refusal('mic:unmute')).toBe('forbidden');
		expect(
			await (
				c.modSide.client.sendRaw(
					JSON.stringify({ id: 999, type: 'speaker:unmute', data: { userId: speakerId } }),
					999
				) as Promise<unknown>
			).catch((e: { code: string }) => e.code)
		).toBe('bad_request');
		const again = await h.join(await h.user('observer'), c.room.id);
		expect(again.snapshot.stage.find((m) => m.userId === speakerId)).toMatchObject({
			muted: true,
			hasAudio: true,
		});

		await speaker!.client.request('mic:unmute');
		await expect.poll(() => recv.received(speakerId) - frozen, { timeout: 10_000 }).toBeGreaterThan(5);
		expect(h.problems()).toEqual([]);
	});

	test('mute all mutes every speaker the actor outranks', async () => {
		const c = await cast(2);
		const ids = c.listenerSides.map((s) => s.snapshot.self.userId);
		for (const side of c.listenerSides) {
			await c.hostSide.client.request('stage:invite', { userId: side.snapshot.self.userId });
			await side.client.request('stage:accept');
			await side.client.request('mic:unmute');
		}
		await c.hostSide.client.request('mic:unmute');
		await c.cohostSide.client.request('mic:unmute');
		const mark = c.hostSide.client.mark;
		expect(await c.listenerSides[0]!.client.refusal('speaker:muteAll')).toBe('forbidden');
		await c.cohostSide.client.request('speaker:muteAll');
		await expect
			.poll(() =>
				c.hostSide.client
					.all('speaker:muted', mark)
					.map((m) => m.userId)
					.sort()
			)
			.toEqual([...ids].sort());
		const view = await h.join(c.mod, c.room.id, 'view');
		const muted = Object.fromEntries(
			view.snapshot.stage.map((m) => [m.role === 'speaker' ? m.userId : m.role, m.muted])
		);
		expect(muted).toEqual({ host: false, cohost: false, [ids[0]!]: true, [ids[1]!]: true });
	});

	test('move to listeners closes the producer and the send transport', async () => {
		const c = await cast(2);
		const [speaker, listener] = c.listenerSides;
		const speakerId = speaker!.snapshot.self.userId;
		const send = await bringOnStageAndProduce(c.hostSide.client, speaker!.client, speakerId);
		const recv = await RecvTransport.create(listener!.client);
		h.defer(() => recv.close());
		const consumer = await listener!.client.waitFor('consumer:new', (x) => x.userId === speakerId);
		expect(h.node.sfu.room(c.room.id)?.producerCount).toBe(1);

		expect(await c.modSide.client.refusal('stage:remove', { userId: c.cohost.user.id })).toBe('forbidden');
		await c.modSide.client.request('stage:remove', { userId: speakerId });
		await listener!.client.waitFor('stage:left', (x) => x.userId === speakerId);
		await listener!.client.waitFor('consumer:closed', (x) => x.consumerId === consumer.consumerId);
		await speaker!.client.waitFor('self:state', (s) => !s.onStage && s.role === 'listener');
		expect(h.node.sfu.room(c.room.id)?.producerCount).toBe(0);
		// The send transport is gone too, and a listener cannot get a new one.
		expect(
			await speaker!.client.refusal('transport:connect', {
				transportId: send.info.id,
				dtlsParameters: { role: 'client', fingerprints: [] },
			})
		).toBe('not_found');
		expect(await speaker!.client.refusal('transport:create', { direction: 'send' })).toBe('forbidden');
		expect(await c.modSide.client.refusal('stage:remove', { userId: speakerId })).toBe('invalid_state');
	});

	test('paused consumers: nothing flows until the client resumes', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await h.speakingHost(host, room.id);
		const listenerSide = await h.join(listener, room.id);
		const recv = await RecvTransport.create(listenerSide.client, 'udp', { autoResume: false });
		h.defer(() => recv.close());
		const consumer = await listenerSide.client.waitFor('consumer:new');
		await recv.settled();
		await sleep(800);
		expect(recv.received(host.user.id)).toBe(0);
		await recv.resume(consumer.consumerId);
		await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(5);
		expect(await listenerSide.client.refusal('consumer:resume', { consumerId: 'nope' })).toBe('not_found');
	});

	test('the listener count and the presence in the bus follow people joining and leaving', async () => {
		const c = await cast(2);
		const key = roomPresenceKey(c.room.id);
		// The moderator is off stage, so a listener too; the bus (the API's listenerCount) says the same.
		await c.hostSide.client.waitFor('listeners:count', (x) => x.count === 3);
		await expect.poll(() => h.bus.get(key)).toBe('3');
		const { id, handle, displayName } = c.listeners[0]!.user;
		expect(await c.hostSide.client.request('listeners:list', { offset: 1, limit: 1 })).toEqual({
			total: 3,
			items: [{ id, handle, displayName, role: 'listener' }],
		});
		await c.listenerSides[0]!.client.close();
		await c.hostSide.client.waitFor('listeners:count', (x) => x.count === 2);
		await expect.poll(() => h.bus.get(key)).toBe('2');
	});
});
