import { CloseCode, type LiveStateData, roomLiveKey, roomNodeKey } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// Chat mutes and slow mode are part of the room's live state in the bus, not only of the Room object:
// the node that serves the room closes (an SFU restart or a move), another node opens the room from
// the bus, and a person muted in chat still cannot write, slow mode still applies, and a message sent
// just before the move still counts against the sender's wait.
describe('chat moderation survives the room moving node', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	async function live(roomId: string): Promise<LiveStateData> {
		const raw = await h.bus.get(roomLiveKey(roomId));
		expect(raw).not.toBeNull();

		return JSON.parse(raw!) as LiveStateData;
	}

	test('a chat-muted person stays muted, slow mode stays on, and the last message still counts', async () => {
		const host = await h.user('host');
		const muted = await h.user('muted');
		const talker = await h.user('talker');
		const quiet = await h.user('quiet');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const mutedSide = await h.join(muted, room.id);
		const talkerSide = await h.join(talker, room.id);

		await hostSide.client.request('chat:mute', { userId: muted.user.id, muted: true });
		await hostSide.client.request('chat:slowMode', { seconds: 60 });
		await talkerSide.client.request('chat:send', { text: 'just before the move' });
		// Written through to the bus, where any node reads it.
		await expect
			.poll(async () => (await live(room.id)).chat, { timeout: 5_000 })
			.toEqual({ muted: [muted.user.id], slowModeSeconds: 60 });

		const first = h.node;
		await first.close();
		for (const side of [hostSide, mutedSide, talkerSide]) {
			expect((await side.client.closed).code).toBe(CloseCode.Moving);
		}
		const second = await h.addNode();
		h.node = second;
		await h.bus.set(roomNodeKey(room.id), second.sfu.nodeId);

		const hostAgain = await h.join(host, room.id);
		const mutedAgain = await h.join(muted, room.id);
		const talkerAgain = await h.join(talker, room.id);
		const quietSide = await h.join(quiet, room.id);
		expect(second.sfu.room(room.id)).toBeDefined();

		// Muted in chat: told so in the history, and refused with no message stored.
		expect(await mutedAgain.client.request('chat:history')).toMatchObject({
			settings: { mode: 'everyone', slowModeSeconds: 60 },
			muted: true,
		});
		expect(await mutedAgain.client.refusal('chat:send', { text: 'am I back?' })).toBe('forbidden');
		// Slow mode: the message sent on the first node still counts.
		const refused = await talkerAgain.client.request('chat:send', { text: 'again' }).catch((e) => e);
		expect(refused).toMatchObject({
			code: 'rate_limited',
			message: expect.stringMatching(/slow mode: wait \d+ s/),
		});
		// Someone who has not written yet gets one message, then waits.
		await quietSide.client.request('chat:send', { text: 'first on the new node' });
		expect(await quietSide.client.refusal('chat:send', { text: 'second' })).toBe('rate_limited');
		const history = await hostAgain.client.request('chat:history');
		expect(history.muted).toBe(false);
		expect(history.messages.map((m) => m.text)).toEqual(['just before the move', 'first on the new node']);

		// The new node keeps writing it: an unmute there is saved as well.
		await hostAgain.client.request('chat:mute', { userId: muted.user.id, muted: false });
		await expect
			.poll(async () => (await live(room.id)).chat, { timeout: 5_000 })
			.toEqual({ muted: [], slowModeSeconds: 60 });
		await mutedAgain.client.request('chat:send', { text: 'thanks' });
		expect(h.problems()).toEqual([]);
	});

	test('live state saved before chat moderation existed reads as nobody muted and no slow mode', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		await expect.poll(async () => (await live(room.id)).chat).toEqual({ muted: [], slowModeSeconds: 0 });
		const { chat: _chat, ...older } = await live(room.id);
		const node = h.node;
		await node.close();
		await hostSide.client.closed;
		await h.bus.set(roomLiveKey(room.id), JSON.stringify(older));
		h.node = await h.addNode();
		await h.bus.set(roomNodeKey(room.id), h.node.sfu.nodeId);
		const again = await h.join(host, room.id);
		expect(again.snapshot.self).toMatchObject({ role: 'host', onStage: true });
		expect(await again.client.request('chat:history')).toMatchObject({
			settings: { slowModeSeconds: 0 },
			muted: false,
		});
		// The node writes the full state back, chat included.
		await expect.poll(async () => (await live(room.id)).chat).toEqual({ muted: [], slowModeSeconds: 0 });
	});
});
