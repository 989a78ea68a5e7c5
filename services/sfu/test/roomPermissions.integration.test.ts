import type { ChatMessage, ChatMode, Room as RoomView } from '@majlis/protocol';
import { roomNodeKey } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, type TestUser } from './support/harness.js';
import type { TestClient } from './support/TestClient.js';

// The permission matrix of the room's WebSocket actions (#15: reactions, chat, pinned link, moderation
// log), over real sockets to a real SFU and API. Each cell opens a fresh room with every role in place,
// has one actor send one request as a raw frame, and checks the reply (allowed, or refused with its
// exact code) and then the room's state as the host or the target reads it: changed when allowed,
// unchanged when refused, so no refusal can hide a change (no escalation).

const ACTORS = ['host', 'cohost', 'moderator', 'speaker', 'listener', 'unjoined'] as const;
type Actor = (typeof ACTORS)[number];
type Person = Exclude<Actor, 'unjoined'> | 'target';

const OK = 'ok';

/** What one cell has at hand: the room and its people's sockets (joined on first use). */
interface Cell {
	room: RoomView;
	side(person: Person): Promise<TestClient>;
	/** A message `person` wrote (so that it can be deleted). */
	said(person: Person, text: string): Promise<ChatMessage>;
}

/** One request type (or one target of it): its data, what it changes, and who may send it. */
interface Row {
	name: string;
	type: string;
	chat?: ChatMode;
	/** Columns follow ACTORS: host, cohost, moderator, speaker, listener, unjoined. */
	expect: readonly string[];
	/** Sets the room up and returns the request's data. */
	prepare(cell: Cell): Promise<Record<string, unknown>>;
	/** The state the request may change, read by someone else (null for read-only requests). */
	state: ((cell: Cell) => Promise<unknown>) | null;
	/** For read-only requests: checks the reply of an allowed cell. */
	reply?: (data: unknown, cell: Cell) => void;
}

const STAFF = [OK, OK, OK, 'forbidden', 'forbidden', 'unauthorized'];
const HOSTS = [OK, OK, 'forbidden', 'forbidden', 'forbidden', 'unauthorized'];
const EVERYONE = [OK, OK, OK, OK, OK, 'unauthorized'];

async function history(cell: Cell, person: Person) {
	return (await cell.side(person)).request('chat:history');
}

// A private address: the page-title fetch refuses it at once, so no cell reaches the network.
const LINK = 'https://127.0.0.1/agenda';

const ROWS: Row[] = [
	{
		name: 'reaction:send',
		type: 'reaction:send',
		expect: EVERYONE,
		prepare: async () => ({ reaction: 'clap' }),
		// A tick is 250 ms: after 600 ms the target has had every tick the reaction could be in.
		state: async (cell) => {
			const target = await cell.side('target');
			await new Promise((resolve) => setTimeout(resolve, 600));

			return target.all('reactions').length;
		},
	},
	{
		name: 'chat:history',
		type: 'chat:history',
		expect: EVERYONE,
		prepare: async (cell) => {
			await cell.said('target', 'for the record');

			return {};
		},
		state: null,
		reply: (data) =>
			expect(data).toMatchObject({
				settings: { mode: 'everyone', slowModeSeconds: 0 },
				messages: [{ text: 'for the record' }],
				muted: false,
			}),
	},
	{
		name: 'chat:send (chat: everyone)',
		type: 'chat:send',
		expect: EVERYONE,
		prepare: async () => ({ text: 'hello' }),
		state: async (cell) => (await history(cell, 'target')).messages.length,
	},
	{
		name: 'chat:send (chat: stage)',
		type: 'chat:send',
		chat: 'stage',
		expect: [OK, OK, OK, OK, 'forbidden', 'unauthorized'],
		prepare: async () => ({ text: 'hello' }),
		state: async (cell) => (await history(cell, 'target')).messages.length,
	},
	{
		name: 'chat:send (chat: off)',
		type: 'chat:send',
		chat: 'off',
		expect: ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'unauthorized'],
		prepare: async () => ({ text: 'hello' }),
		state: async (cell) => (await history(cell, 'target')).messages.length,
	},
	{
		name: "chat:delete (a listener's message)",
		type: 'chat:delete',
		expect: STAFF,
		prepare: async (cell) => ({ messageId: (await cell.said('target', 'spam')).id, reason: 'matrix' }),
		state: async (cell) => (await history(cell, 'host')).messages.length,
	},
	{
		name: "chat:delete (a co-host's message)",
		type: 'chat:delete',
		// The co-host may delete their own message as a moderator; nobody below the host deletes theirs.
		expect: [OK, OK, 'forbidden', 'forbidden', 'forbidden', 'unauthorized'],
		prepare: async (cell) => ({ messageId: (await cell.said('cohost', 'from the co-host')).id }),
		state: async (cell) => (await history(cell, 'host')).messages.length,
	},
	{
		name: 'chat:mute (a listener)',
		type: 'chat:mute',
		expect: STAFF,
		prepare: async (cell) => {
			await cell.side('target');

			return { userId: users.target.user.id, muted: true };
		},
		state: async (cell) => (await history(cell, 'target')).muted,
	},
	{
		name: 'chat:mute (the co-host)',
		type: 'chat:mute',
		expect: [OK, 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'unauthorized'],
		prepare: async (cell) => {
			await cell.side('cohost');

			return { userId: users.cohost.user.id, muted: true };
		},
		state: async (cell) => (await history(cell, 'cohost')).muted,
	},
	{
		name: 'chat:slowMode',
		type: 'chat:slowMode',
		expect: STAFF,
		prepare: async () => ({ seconds: 10 }),
		state: async (cell) => (await history(cell, 'target')).settings.slowModeSeconds,
	},
	{
		name: 'link:pin',
		type: 'link:pin',
		expect: HOSTS,
		prepare: async () => ({ url: LINK, title: 'Agenda' }),
		state: async (cell) => (await (await cell.side('target')).request('link:current')).link?.url ?? null,
	},
	{
		name: 'link:unpin',
		type: 'link:unpin',
		expect: HOSTS,
		prepare: async (cell) => {
			await (await cell.side('host')).request('link:pin', { url: LINK });

			return {};
		},
		state: async (cell) => (await (await cell.side('target')).request('link:current')).link?.url ?? null,
	},
	{
		name: 'link:current',
		type: 'link:current',
		expect: EVERYONE,
		prepare: async (cell) => {
			await (await cell.side('host')).request('link:pin', { url: LINK, title: 'Agenda' });

			return {};
		},
		state: null,
		reply: (data) => expect(data).toMatchObject({ link: { url: LINK, title: 'Agenda' } }),
	},
	{
		name: 'moderation:list',
		type: 'moderation:list',
		expect: STAFF,
		prepare: async (cell) => {
			await (await cell.side('host')).request('chat:mute', {
				userId: users.target.user.id,
				muted: true,
				reason: 'matrix',
			});

			return {};
		},
		state: null,
		// The appointments made through the API are in the log too.
		reply: (data) =>
			expect((data as { entries: unknown[] }).entries).toContainEqual(
				expect.objectContaining({
					action: 'chatMute',
					target: expect.objectContaining({ id: users.target.user.id }),
					reason: 'matrix',
				})
			),
	},
];

let h: Harness;
const users = {} as Record<Person | 'outsider', TestUser>;
let frameId = 100_000;

beforeAll(async () => {
	h = await Harness.start();
	for (const name of [...ACTORS.filter((a) => a !== 'unjoined'), 'target', 'outsider'] as const) {
		users[name] = await h.user(name);
	}
});

afterAll(async () => {
	await h?.close();
});

/** A live room with a co-host and a moderator appointed, its chat as `chat` says. */
async function openRoom(chat: ChatMode): Promise<RoomView> {
	const host = users.host.token;
	const room = await h.call<RoomView>('POST', '/api/rooms', host, {
		title: 'Matrix',
		visibility: 'public',
		chat,
	});
	await h.call('PUT', `/api/rooms/${room.id}/cohosts/${users.cohost.user.id}`, host);
	await h.call('PUT', `/api/rooms/${room.id}/moderators/${users.moderator.user.id}`, host);
	await h.call('POST', `/api/rooms/${room.id}/start`, host);
	await h.bus.set(roomNodeKey(room.id), h.node.sfu.nodeId);

	return room;
}

function cellFor(room: RoomView): Cell {
	const sides = new Map<Person, Promise<TestClient>>();
	const side = (person: Person): Promise<TestClient> => {
		let joined = sides.get(person);
		if (!joined) {
			joined = (async () => {
				if (person === 'speaker') {
					const host = await side('host');
					const { client } = await h.join(users.speaker, room.id);
					await host.request('stage:invite', { userId: users.speaker.user.id });
					await client.request('stage:accept');

					return client;
				}

				return (await h.join(users[person], room.id)).client;
			})();
			sides.set(person, joined);
		}

		return joined;
	};

	return {
		room,
		side,
		said: async (person, text) => (await side(person)).request('chat:send', { text }),
	};
}

/** The actor's socket: joined in its role, or (unjoined) connected with a valid ticket but no `session:join`. */
async function actorSide(cell: Cell, actor: Actor): Promise<TestClient> {
	if (actor !== 'unjoined') {
		return cell.side(actor);
	}
	const { signallingUrl } = await h.ticket(users.outsider, cell.room.id);

	return h.connect(signallingUrl, 'unjoined');
}

/** Sends `type` as a raw frame; resolves with `ok` and the reply, or the refusal's code. */
async function send(
	client: TestClient,
	type: string,
	data: unknown
): Promise<{ outcome: string; reply?: unknown }> {
	frameId += 1;
	try {
		const reply = await client.sendRaw(JSON.stringify({ id: frameId, type, data }), frameId, type);

		return { outcome: OK, reply };
	} catch (error) {
		return { outcome: (error as { code?: string }).code ?? String(error) };
	}
}

describe('room actions over real sockets', () => {
	const cells = ROWS.flatMap((row) =>
		ACTORS.map((actor, i) => [row.name, actor, row.expect[i]!, row] as const)
	);

	test.each(cells)('%s as %s → %s', async (_name, actor, expected, row) => {
		const room = await openRoom(row.chat ?? 'everyone');
		const cell = cellFor(room);
		// The host is in every room (the stage's owner), the target in every room (the one acted on).
		await cell.side('host');
		await cell.side('target');
		const data = await row.prepare(cell);
		const client = await actorSide(cell, actor);
		const before = row.state ? await row.state(cell) : undefined;

		const { outcome, reply } = await send(client, row.type, data);
		expect(outcome).toBe(expected);

		if (row.state) {
			const after = await row.state(cell);
			if (expected === OK) {
				expect(after).not.toEqual(before);
			} else {
				expect(after).toEqual(before);
			}
		} else if (expected === OK) {
			row.reply?.(reply, cell);
		}
		expect(h.problems()).toEqual([]);
	});
});

describe('live queues reach the staff only', () => {
	test('a report and a moderation act are pushed to host, co-host and moderator, never to others', async () => {
		const room = await openRoom('everyone');
		const cell = cellFor(room);
		const people = ['host', 'cohost', 'moderator', 'speaker', 'listener', 'target'] as const;
		const sides = new Map<Person, TestClient>();
		for (const person of people) {
			sides.set(person, await cell.side(person));
		}
		const message = await cell.said('target', 'something rude');
		const marks = new Map(people.map((p) => [p, sides.get(p)!.mark]));
		await h.call('POST', '/api/reports', users.listener.token, {
			userId: users.target.user.id,
			roomId: room.id,
			messageId: message.id,
			reason: 'rude',
		});
		await sides.get('moderator')!.request('chat:delete', { messageId: message.id, reason: 'rude' });
		for (const person of ['host', 'cohost', 'moderator'] as const) {
			const from = marks.get(person)!;
			expect(await sides.get(person)!.waitFor('report:new', () => true, { from })).toMatchObject({
				reporter: { id: users.listener.user.id },
				target: { id: users.target.user.id },
				messageId: message.id,
			});
			const entry = await sides.get(person)!.waitFor('moderation:entry', (e) => e.action === 'chatDelete', {
				from,
			});
			expect(entry).toMatchObject({ actor: { id: users.moderator.user.id }, reason: 'rude' });
		}
		// Everyone learns the message is gone (a sync point: anything staff-only was sent before it).
		for (const person of ['speaker', 'listener', 'target'] as const) {
			const side = sides.get(person)!;
			await side.waitFor('chat:deleted', (d) => d.messageId === message.id, { from: marks.get(person)! });
			expect(side.all('report:new', marks.get(person)!)).toEqual([]);
			expect(side.all('moderation:entry', marks.get(person)!)).toEqual([]);
		}
		expect(h.problems()).toEqual([]);
	});
});
