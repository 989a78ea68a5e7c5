import {
	type ChatMode,
	type InternalChatHistory,
	type Room as RoomView,
	roomNodeKey,
} from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, type TestUser, useHarness } from './support/harness.js';

const BLOCKED = ['كلمة', 'badword'];

// The chat over real sockets and the real API (Postgres): who may write, the server's own checks (sent
// as raw frames, as a modified client would), slow mode, deletions and mutes by moderators, history.
describe('chat', () => {
	let h: Harness;
	useHarness(
		(started) => {
			h = started;
		},
		{ chatBlockedWords: BLOCKED }
	);

	async function room(host: TestUser, chat?: ChatMode): Promise<RoomView> {
		const created = await h.call<RoomView>('POST', '/api/rooms', host.token, {
			title: 'A room',
			visibility: 'public',
			...(chat ? { chat } : {}),
		});
		await h.call('POST', `/api/rooms/${created.id}/start`, host.token);
		await h.bus.set(roomNodeKey(created.id), h.node.sfu.nodeId);

		return created;
	}

	async function stored(roomId: string): Promise<InternalChatHistory> {
		return h.call('GET', `/api/internal/rooms/${roomId}/chat`, await h.serviceToken());
	}

	function raw(client: Awaited<ReturnType<Harness['join']>>['client'], id: number, text: string) {
		return client.sendRaw(JSON.stringify({ id, type: 'chat:send', data: { text } }), id);
	}

	test('an Arabic and English message reaches everyone, is stored, and late joiners get it', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const late = await h.user('late');
		const r = await room(host);
		expect(r.chat).toBe('everyone');
		const hostSide = await h.join(host, r.id);
		const listenerSide = await h.join(listener, r.id);
		const text = 'مرحبا بالجميع — welcome to Majlis 2026!';

		const sent = await listenerSide.client.request('chat:send', { text: `  ${text} ` });
		expect(sent).toMatchObject({ text, user: { id: listener.user.id } });
		expect(await hostSide.client.waitFor('chat:message')).toEqual(sent);
		expect((await stored(r.id)).messages).toEqual([sent]);

		const lateSide = await h.join(late, r.id);
		expect(await lateSide.client.request('chat:history')).toEqual({
			settings: { mode: 'everyone', slowModeSeconds: 0 },
			messages: [sent],
			muted: false,
		});
		expect(h.problems()).toEqual([]);
	});

	test('the server enforces the length cap and the word filter, whatever the client sends', async () => {
		const host = await h.user('host');
		const r = await room(host);
		const { client } = await h.join(host, r.id);
		// 500 characters of Arabic (each two bytes in UTF-8) pass; one more is refused.
		await expect(raw(client, 901, 'ع'.repeat(500))).resolves.toMatchObject({ text: 'ع'.repeat(500) });
		await expect(raw(client, 902, 'ع'.repeat(501))).rejects.toMatchObject({ code: 'too_large' });
		await expect(raw(client, 903, 'x'.repeat(5000))).rejects.toMatchObject({ code: 'bad_request' });
		await expect(raw(client, 904, '\u200B \u200F')).rejects.toMatchObject({ code: 'bad_request' });
		// Blocked words, written with tashkeel and tatweel, a glued article, or another case.
		for (const [i, text] of ['هذه كَلِمَة', 'والكلـــمه هنا', 'what a BadWord'].entries()) {
			await expect(raw(client, 910 + i, text)).rejects.toMatchObject({ code: 'bad_request' });
		}
		await expect(raw(client, 920, 'كلمات طيبة')).resolves.toMatchObject({ text: 'كلمات طيبة' });
		expect((await stored(r.id)).messages.map((m) => m.text)).toEqual(['ع'.repeat(500), 'كلمات طيبة']);
	});

	test('slow mode: moderators set it, everyone hears, a second message is refused until the wait is over', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const r = await room(host);
		const hostSide = await h.join(host, r.id);
		const listenerSide = await h.join(listener, r.id);
		expect(await listenerSide.client.refusal('chat:slowMode', { seconds: 30 })).toBe('forbidden');
		await hostSide.client.request('chat:slowMode', { seconds: 30 });
		expect(await listenerSide.client.waitFor('chat:settings')).toEqual({
			mode: 'everyone',
			slowModeSeconds: 30,
		});

		await listenerSide.client.request('chat:send', { text: 'first' });
		const refused = await listenerSide.client.request('chat:send', { text: 'second' }).catch((e) => e);
		expect(refused).toMatchObject({
			code: 'rate_limited',
			message: expect.stringMatching(/slow mode: wait \d+ s/),
		});
		// Moderators are not slowed down.
		await hostSide.client.request('chat:send', { text: 'one' });
		await hostSide.client.request('chat:send', { text: 'two' });
		await hostSide.client.request('chat:slowMode', { seconds: 0 });
		await listenerSide.client.request('chat:send', { text: 'second' });
	});

	test('moderators delete messages for everyone and mute people in chat; nobody acts above their rank', async () => {
		const host = await h.user('host');
		const mod = await h.user('mod');
		const listener = await h.user('listener');
		const r = await room(host);
		await h.call('PUT', `/api/rooms/${r.id}/moderators/${mod.user.id}`, host.token);
		const hostSide = await h.join(host, r.id);
		const modSide = await h.join(mod, r.id);
		const listenerSide = await h.join(listener, r.id);
		const byHost = await hostSide.client.request('chat:send', { text: 'from the host' });
		const byListener = await listenerSide.client.request('chat:send', { text: 'spam' });

		expect(await listenerSide.client.refusal('chat:delete', { messageId: byHost.id })).toBe('forbidden');
		expect(await modSide.client.refusal('chat:delete', { messageId: byHost.id })).toBe('forbidden');
		expect(await listenerSide.client.refusal('chat:mute', { userId: mod.user.id, muted: true })).toBe(
			'forbidden'
		);
		await modSide.client.request('chat:delete', { messageId: byListener.id });
		for (const side of [hostSide, modSide, listenerSide]) {
			expect(await side.client.waitFor('chat:deleted')).toEqual({
				messageId: byListener.id,
				by: mod.user.id,
			});
		}
		expect((await stored(r.id)).messages.map((m) => m.id)).toEqual([byHost.id]);
		expect((await listenerSide.client.request('chat:history')).messages.map((m) => m.id)).toEqual([
			byHost.id,
		]);

		await modSide.client.request('chat:mute', { userId: listener.user.id, muted: true });
		expect(await listenerSide.client.waitFor('chat:muted')).toEqual({ muted: true, by: mod.user.id });
		expect(await listenerSide.client.refusal('chat:send', { text: 'hello?' })).toBe('forbidden');
		expect((await listenerSide.client.request('chat:history')).muted).toBe(true);
		await modSide.client.request('chat:mute', { userId: listener.user.id, muted: false });
		await listenerSide.client.request('chat:send', { text: 'sorry' });
		expect(h.problems()).toEqual([]);
	});

	test('the room chooses who writes: the stage only, or nobody', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const stageRoom = await room(host, 'stage');
		const hostSide = await h.join(host, stageRoom.id);
		const listenerSide = await h.join(listener, stageRoom.id);
		expect(await listenerSide.client.refusal('chat:send', { text: 'may I?' })).toBe('forbidden');
		await hostSide.client.request('chat:send', { text: 'the stage speaks' });
		expect(await listenerSide.client.waitFor('chat:message')).toMatchObject({ text: 'the stage speaks' });
		await hostSide.client.request('room:end');

		const quiet = await room(host, 'off');
		const quietHost = await h.join(host, quiet.id);
		expect(await quietHost.client.refusal('chat:send', { text: 'anyone?' })).toBe('forbidden');
		expect((await quietHost.client.request('chat:history')).settings.mode).toBe('off');
	});
});
