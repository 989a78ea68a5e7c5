import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { roomNodeKey } from '@majlis/protocol';
import { startWebhookReceiver, type WebhookReceiver, webhookSigned } from '@majlis/server-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness } from './support/harness.js';

// Integrations: the webhooks of a real room's life — API, SFU over WebSocket with a real mediasoup worker,
// a speaking host, a recording mixed with ffmpeg, and the end sent from the room itself.

const work = mkdtempSync(join(tmpdir(), 'majlis-webhooks-'));

describe('webhooks of a live room', () => {
	let h: Harness;
	let receiver: WebhookReceiver;

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		process.env.DATA_DIR = work;
		h = await Harness.start({ recordingDir: join(work, 'capture') }, process.env.REDIS_URL, {
			webhooks: { allowPrivate: true, pollMs: 100, retryBaseMs: 100 },
		});
	});

	afterAll(async () => {
		await h?.close();
		await receiver?.close();
		rmSync(work, { recursive: true, force: true });
	});

	test('scheduled, started, speaker joined, recording ready and ended reach the receiver, each signed', async () => {
		const host = await h.user('whost');
		const { secret } = await h.call<{ secret: string }>('POST', '/api/me/webhooks', host.token, {
			url: receiver.url,
			events: ['room.scheduled', 'room.started', 'speaker.joined', 'recording.ready', 'room.ended'],
		});
		const room = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Hooked',
			visibility: 'public',
		});
		await h.call('PUT', `/api/rooms/${room.id}/recordings/setting`, host.token, { enabled: true });
		await h.call('POST', `/api/rooms/${room.id}/start`, host.token);
		await h.bus.set(roomNodeKey(room.id), h.node.sfu.nodeId);

		const hostSide = await h.speakingHost(host, room.id);

		await hostSide.client.request('recording:start');
		await sleep(1500);
		await hostSide.client.request('recording:stop');
		await h.node.sfu.recordings.settled();
		// The host ends the room from the room: the SFU tells the API, which queues room.ended.
		await hostSide.client.request('room:end');

		const events = ['room.scheduled', 'room.started', 'speaker.joined', 'recording.ready', 'room.ended'];
		const until = Date.now() + 20_000;
		const { received } = receiver;
		while (received.length < events.length && Date.now() < until) {
			await sleep(50);
		}
		const got = received.map((r) => JSON.parse(r.body) as { type: string; data: { room: { id: string } } });
		expect(got.map((e) => e.type)).toEqual(events);
		for (const r of received) {
			expect(webhookSigned(secret, r)).toBe(true);
			expect(webhookSigned(secret, { ...r, body: r.body.replace('Hooked', 'Hacked') })).toBe(false);
		}
		expect(got.every((e) => e.data.room.id === room.id)).toBe(true);
		expect(got[3]).toMatchObject({
			data: { recording: { state: expect.stringMatching(/^(ready|partial)$/) } },
		});
		expect(got[4]).toMatchObject({ data: { room: { state: 'ended' } } });
		expect(h.problems()).toEqual([]);
	}, 60_000);
});
