import { roomNodeKey, SFU_NODES_KEY, type RecordingView } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	registerNode,
	setup,
	signup,
} from './helper.js';

let h: Harness;
let sfu: string;
beforeAll(async () => {
	// A Redis database of its own: this file registers fake SFU nodes.
	h = await setup({ bus: createTestBus(6) });
	sfu = await h.app.tokens.signServiceToken('sfu');
});
afterAll(() => h?.close());

describe('a recording whose SFU node is lost', () => {
	test('is listed recording while its node heartbeats, partial once the node is gone, and processing → partial when the node comes back to finish it', async () => {
		const host = await signup(h.app);
		const room = await createRoom(h.app, host.token, { title: 'Node loss' });
		await expectStatus(200, h.app, 'PUT', `/api/rooms/${room.id}/recordings/setting`, {
			token: host.token,
			body: { enabled: true },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const node = await registerNode(h.bus);
		await h.bus.set(roomNodeKey(room.id), node.id);
		const created = await expectStatus<{ id: string }>(
			201,
			h.app,
			'POST',
			`/api/internal/rooms/${room.id}/recordings`,
			{ token: sfu, body: { by: host.user.id } }
		);
		const state = async () =>
			(
				await expectStatus<{ items: RecordingView[] }>(
					200,
					h.app,
					'GET',
					`/api/rooms/${room.id}/recordings`,
					{
						token: host.token,
					}
				)
			).items[0]!;
		expect((await state()).state).toBe('recording');

		// Its heartbeat stops: the node's entry goes stale.
		await h.bus.hset(SFU_NODES_KEY, { [node.id]: JSON.stringify({ ...node, seenAt: Date.now() - 60_000 }) });
		expect(await state()).toMatchObject({ state: 'partial', tracks: [] });

		// The node is back and finishes what it had on disk.
		await expectStatus(204, h.app, 'POST', `/api/internal/recordings/${created.id}/processing`, {
			token: sfu,
		});
		expect((await state()).state).toBe('processing');
		await expectStatus(204, h.app, 'POST', `/api/internal/recordings/${created.id}/finish`, {
			token: sfu,
			body: {
				state: 'partial',
				durationMs: 2000,
				tracks: [{ userId: host.user.id, file: 'track-a.ogg', durationMs: 2000, firstAudioMs: 0 }],
				timeline: {
					startedAt: 0,
					durationMs: 2000,
					people: [],
					stage: [],
					speaking: [],
					muted: [],
					events: [],
				},
			},
		});
		expect(await state()).toMatchObject({ state: 'partial', durationMs: 2000 });
		expect((await state()).tracks).toHaveLength(1);
		await h.bus.hdel(SFU_NODES_KEY, node.id);
	});

	test('a recording with no known node (an SFU that did not place the room) is left as it is', async () => {
		const host = await signup(h.app);
		const room = await createRoom(h.app, host.token, { title: 'No node' });
		await expectStatus(200, h.app, 'PUT', `/api/rooms/${room.id}/recordings/setting`, {
			token: host.token,
			body: { enabled: true },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		await expectStatus(201, h.app, 'POST', `/api/internal/rooms/${room.id}/recordings`, {
			token: sfu,
			body: { by: host.user.id },
		});
		const { items } = await expectStatus<{ items: RecordingView[] }>(
			200,
			h.app,
			'GET',
			`/api/rooms/${room.id}/recordings`,
			{ token: host.token }
		);
		expect(items[0]!.state).toBe('recording');
	});
});
