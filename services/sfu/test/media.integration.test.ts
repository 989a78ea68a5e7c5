import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { appoint } from './support/faults.js';
import { type Harness, useHarness } from './support/harness.js';
import { RecvTransport, SendTransport } from './support/webrtc.js';

// Real WebRTC end to end: werift peers (ICE, DTLS, SRTP) against the SFU's mediasoup transports.
describe('media', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	async function receivedAfter(recv: RecvTransport, userId: string, ms: number): Promise<number> {
		const before = recv.received(userId);
		await sleep(ms);

		return recv.received(userId) - before;
	}

	test('a speaker’s Opus reaches a listener; mute stops it on the server, unmute resumes it', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		expect(hostSide.snapshot.self).toMatchObject({ role: 'host', onStage: true, muted: true });

		const send = await SendTransport.create(hostSide.client);
		h.defer(() => send.close());
		const producerId = await send.produce();
		expect(producerId).toEqual(expect.any(String));
		await hostSide.client.request('mic:unmute');
		send.startTone(20);

		const listenerSide = await h.join(listener, room.id);
		expect(listenerSide.snapshot.stage).toEqual([
			expect.objectContaining({ userId: host.user.id, role: 'host', muted: false, hasAudio: true }),
		]);
		const recv = await RecvTransport.create(listenerSide.client);
		h.defer(() => recv.close());
		const consumer = await listenerSide.client.waitFor('consumer:new');
		expect(consumer).toMatchObject({ producerId, userId: host.user.id, kind: 'audio' });

		// Packets arrive once the consumer is resumed (after the client's answer is in place).
		await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
		expect(recv.errors).toEqual([]);

		// The speaking indicator follows the RFC 6464 level in the packets.
		await listenerSide.client.waitFor('stage:speaking', (d) => d.userIds.includes(host.user.id));

		const producerOf = () =>
			h.node.sfu
				.room(room.id)
				?.diagnostics()
				.find((p) => p.userId === host.user.id)?.producer;
		expect(producerOf()).toEqual({ paused: false });
		await hostSide.client.request('mic:mute');
		expect(producerOf()).toEqual({ paused: true });
		await listenerSide.client.waitFor('stage:member', (m) => m.userId === host.user.id && m.muted);
		await sleep(300);
		expect(await receivedAfter(recv, host.user.id, 600)).toBe(0);
		expect(send.sent).toBeGreaterThan(0);

		await hostSide.client.request('mic:unmute');
		expect(producerOf()).toEqual({ paused: false });
		await expect.poll(() => receivedAfter(recv, host.user.id, 300), { timeout: 10_000 }).toBeGreaterThan(5);
		send.stopTone();
		expect(h.problems()).toEqual([]);
	});

	test('a batched consume:start returns the whole stage, set up in one renegotiation and resumed in one request', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await appoint(h, host, room.id, 'cohosts', cohost);
		await h.speakingHost(host, room.id);
		await h.speakingHost(cohost, room.id);

		const listenerSide = await h.join(listener, room.id);
		expect(listenerSide.snapshot.stage.filter((m) => m.hasAudio)).toHaveLength(2);
		expect(await listenerSide.client.refusal('consumers:resume', { consumerIds: ['nope'] })).toBe(
			'not_found'
		);
		const recv = await RecvTransport.create(listenerSide.client, 'udp', { batch: true });
		h.defer(() => recv.close());
		// Both voices came in the reply: no consumer:new for them.
		expect([...recv.consumers.values()].sort()).toEqual([host.user.id, cohost.user.id].sort());
		expect(listenerSide.client.notifications.filter((n) => n.type === 'consumer:new')).toEqual([]);
		for (const userId of [host.user.id, cohost.user.id]) {
			await expect.poll(() => recv.received(userId), { timeout: 10_000 }).toBeGreaterThan(20);
		}
		expect(recv.errors).toEqual([]);
		expect(h.problems()).toEqual([]);
	});

	test('listeners never get a send transport and cannot produce', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await h.join(host, room.id);
		const { client } = await h.join(listener, room.id);
		expect(await client.refusal('transport:create', { direction: 'send' })).toBe('forbidden');
		const recv = await client.request('transport:create', { direction: 'recv' });
		expect(
			await client.refusal('produce', {
				transportId: recv.id,
				kind: 'audio',
				rtpParameters: {
					codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
				},
			})
		).toBe('forbidden');
		expect(h.node.sfu.room(room.id)?.producerCount).toBe(0);
	});

	test('video and non-Opus audio are refused', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		const send = await SendTransport.create(client);
		h.defer(() => send.close());
		const opus = send.rtpParameters();
		expect(
			await client.refusal('produce', {
				transportId: send.info.id,
				kind: 'video',
				rtpParameters: {
					...opus,
					codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [] }],
				},
			})
		).toBe('unsupported');
		expect(
			await client.refusal('produce', {
				transportId: send.info.id,
				kind: 'audio',
				rtpParameters: {
					...opus,
					codecs: [{ mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000, rtcpFeedback: [] }],
				},
			})
		).toBe('unsupported');
		expect(
			await client.refusal('produce', {
				transportId: send.info.id,
				kind: 'audio',
				rtpParameters: { codecs: 'opus' },
			})
		).toBe('unsupported');
		// The same transport still accepts Opus.
		expect(await send.produce()).toEqual(expect.any(String));
	});

	test('TCP fallback: media flows over ICE-TCP when only TCP candidates are usable', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const send = await SendTransport.create(hostSide.client, 'tcp');
		h.defer(() => send.close());
		await send.produce();
		await hostSide.client.request('mic:unmute');
		send.startTone();
		h.defer(async () => send.stopTone());
		const listenerSide = await h.join(listener, room.id);
		const recv = await RecvTransport.create(listenerSide.client, 'tcp');
		h.defer(() => recv.close());
		await expect.poll(() => recv.received(host.user.id), { timeout: 15_000 }).toBeGreaterThan(20);
		const protocols = h.node.sfu
			.room(room.id)
			?.diagnostics()
			.flatMap((p) => p.transports.map((t) => [t.direction, t.protocol, t.dtlsState]));
		expect(protocols).toEqual([
			['send', 'tcp', 'connected'],
			['recv', 'tcp', 'connected'],
		]);
	});
});
