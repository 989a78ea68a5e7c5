import { ChromiumListeners } from '@majlis/loadgen';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// The bench's Chromium listeners (join → first audio as a browser lives it): real Chromium's ICE, DTLS and
// SRTP against the SFU's WebRTC transports, with the stage consumed in one round as the web client does.
describe.skipIf(!ChromiumListeners.available())('a Chromium listener', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('joins a talking stage in one round, gets its first packet, then leaves; milestones in order', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await h.speakingHost(host, room.id);
		const { signallingUrl, ticket } = await h.ticket(listener, room.id);

		const browser = await ChromiumListeners.launch();
		h.defer(() => browser.close());
		const join = await browser.join(signallingUrl, ticket);
		const order = [join.startUs, join.joinedUs, join.stageOfferedUs, join.answeredUs, join.firstPacketUs];
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(join.connectedUs).toBeGreaterThan(join.stageOfferedUs);
		expect(join.firstPacketUs).toBeGreaterThan(join.answeredUs);
		// It left once timed: the browser holds only the joins in flight.
		const inRoom = () =>
			h.node.sfu
				.room(room.id)
				?.diagnostics()
				.some((p) => p.userId === listener.user.id);
		await expect.poll(inRoom).toBe(false);

		// A stage nobody is on has no first packet to wait for: the join fails clearly.
		const quiet = await h.room(cohost);
		const cohostSide = await h.speakingHost(cohost, quiet.id);
		const late = await h.ticket(await h.user('late'), quiet.id);
		// The first packet is a packet, not the connection: a muted speaker's stage connects but stays silent.
		await cohostSide.client.request('mic:mute');
		await expect(browser.join(late.signallingUrl, late.ticket, 3000)).rejects.toThrow(
			/no audio within 3000 ms/
		);
		const empty = await h.room(await h.user('empty'));
		const early = await h.ticket(await h.user('early'), empty.id);
		await expect(browser.join(early.signallingUrl, early.ticket)).rejects.toThrow(/nobody is talking/);
		expect(h.problems()).toEqual([]);
	}, 60_000);
});
