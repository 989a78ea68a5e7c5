import { describe, expect, test } from 'vitest';
import {
	type ChannelProblem,
	InvalidReplyError,
	InvalidStateError,
	MAX_REQUEST_ID,
	ProtocolChannel,
	RequestTimeoutError,
	ServerRequestError,
} from './client.js';
import type { ServerNotification, Snapshot } from './messages.js';
import { parseServerFrame } from './serverFrame.js';

const roomId = '00000000-0000-4000-8000-000000000001';
const userId = '00000000-0000-4000-8000-000000000002';

function snapshot(seq: number): Snapshot {
	return {
		room: { id: roomId, title: 'Room', speakRequests: 'everyone', maxSpeakers: 10 },
		self: { userId, role: 'listener', onStage: false, muted: true, handRaised: false, invited: false },
		stage: [],
		listenerCount: 1,
		hostAwayUntil: null,
		seq,
	};
}

function setup(options: { timeoutMs?: number; lastId?: number } = {}) {
	const frames: { id: number; type: string; data: unknown }[] = [];
	const notifications: ServerNotification[] = [];
	const problems: ChannelProblem[] = [];
	const channel = new ProtocolChannel({
		send: (f) => frames.push(JSON.parse(f)),
		onNotification: (n) => notifications.push(n),
		onProblem: (p) => problems.push(p),
		...options,
	});
	// What the server would write: text frames.
	const reply = (frame: unknown) => channel.receive(JSON.stringify(frame));

	return { channel, frames, notifications, problems, reply };
}

async function joined(seq: number) {
	const s = setup();
	const join = s.channel.request('session:join', { ticket: 't', protocolVersion: 1 });
	s.reply({ id: 1, ok: true, data: { routerRtpCapabilities: {}, snapshot: snapshot(seq) } });
	await join;

	return s;
}

describe('ProtocolChannel requests', () => {
	test('request() sends {id,type,data} and resolves with the matching reply', async () => {
		const { channel, frames, reply } = setup();
		const first = channel.request('hand:raise', {});
		const second = channel.request('listeners:list', { offset: 0, limit: 10 });
		expect(frames).toEqual([
			{ id: 1, type: 'hand:raise', data: {} },
			{ id: 2, type: 'listeners:list', data: { offset: 0, limit: 10 } },
		]);
		expect(channel.pending).toBe(2);
		// Replies may come in any order; each settles its own request.
		reply({ id: 2, ok: true, data: { items: [], total: 7 } });
		reply({ id: 1, ok: true });
		await expect(second).resolves.toEqual({ items: [], total: 7 });
		await expect(first).resolves.toEqual({});
		expect(channel.pending).toBe(0);
	});

	test('an error reply rejects with ServerRequestError carrying the code', async () => {
		const { channel, reply } = setup();
		const pending = channel.request('stage:accept', {});
		reply({ id: 1, ok: false, error: { code: 'stage_full', message: 'the stage is full' } });
		const error = await pending.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ServerRequestError);
		expect(error).toMatchObject({
			code: 'stage_full',
			request: 'stage:accept',
			message: 'the stage is full',
		});
	});

	test('a reply nobody waits for is reported and dropped', () => {
		const { channel, problems } = setup();
		channel.receive({ id: 42, ok: true, data: {} });
		expect(problems).toEqual([{ kind: 'reply', id: 42, message: 'reply to no pending request [id:42]' }]);
	});

	test('a reply whose data breaks its reply schema fails the request at once and is reported', async () => {
		const { channel, reply, problems } = setup();
		const list = channel.request('listeners:list', {});
		reply({ id: 1, ok: true, data: { items: 'nobody', total: 0 } });
		const error = await list.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidReplyError);
		expect(error).toMatchObject({ request: 'listeners:list' });
		expect(problems).toEqual([{ kind: 'frame', message: 'reply: listeners:list data/items: must be array' }]);
		expect(channel.pending).toBe(0);
	});

	test('an error reply with a code outside the protocol is not trusted', async () => {
		const { channel, reply } = setup();
		const raise = channel.request('hand:raise', {});
		reply({ id: 1, ok: false, error: { code: 'teapot', message: 'short and stout' } });
		await expect(raise).rejects.toBeInstanceOf(InvalidReplyError);
	});

	test('times out per request and forgets it, so a late reply does not settle anything', async () => {
		const { channel, reply, problems } = setup({ timeoutMs: 30 });
		const slow = channel.request('mic:mute', {});
		const fast = channel.request('mic:unmute', {}, 5_000);
		await expect(slow).rejects.toBeInstanceOf(RequestTimeoutError);
		expect(channel.pending).toBe(1);
		reply({ id: 1, ok: true, data: {} });
		expect(problems.map((p) => p.kind)).toEqual(['reply']);
		reply({ id: 2, ok: true, data: {} });
		await expect(fast).resolves.toEqual({});
	});

	test('close() rejects every pending request with InvalidStateError, and later requests too', async () => {
		const { channel } = setup();
		const a = channel.request('hand:raise', {});
		const b = channel.request('consume:start', { rtpCapabilities: {} });
		channel.close('socket closed');
		await expect(a).rejects.toBeInstanceOf(InvalidStateError);
		await expect(b).rejects.toThrow(/socket closed, pending request aborted \[type:consume:start/);
		expect(channel.pending).toBe(0);
		expect(channel.closed).toBe(true);
		await expect(channel.request('hand:lower', {})).rejects.toBeInstanceOf(InvalidStateError);
		channel.close();
	});

	test('ids wrap from 2^32-1 back to 1', async () => {
		const { channel, frames, reply } = setup({ lastId: MAX_REQUEST_ID - 2 });
		const first = channel.request('hand:raise', {});
		const second = channel.request('hand:raise', {});
		const third = channel.request('hand:raise', {});
		expect(frames.map((f) => f.id)).toEqual([MAX_REQUEST_ID - 1, MAX_REQUEST_ID, 1]);
		reply({ id: 1, ok: true, data: {} });
		await third;
		channel.close();
		await expect(Promise.all([first, second])).rejects.toBeInstanceOf(InvalidStateError);
	});

	test('sendRaw() writes text as it is and matches the reply to the id given, without a schema', async () => {
		const { channel, frames, reply } = setup();
		const answer = channel.sendRaw('{"id":77,"type":"hand:raise","data":{"x":1}}', 77);
		expect(frames).toEqual([{ id: 77, type: 'hand:raise', data: { x: 1 } }]);
		reply({ id: 77, ok: false, error: { code: 'bad_request', message: 'hand:raise data: unexpected x' } });
		await expect(answer).rejects.toMatchObject({ name: 'ServerRequestError', code: 'bad_request' });
		expect(channel.sendRaw('"no id here"')).toBeUndefined();
	});

	test('a send that throws rejects the request at once', async () => {
		const channel = new ProtocolChannel({
			send: () => {
				throw new Error('socket not open');
			},
		});
		await expect(channel.request('hand:raise', {})).rejects.toThrow(/socket not open/);
		expect(channel.pending).toBe(0);
	});
});

describe('ProtocolChannel notifications', () => {
	test('delivers valid notifications after the join reply, each the next seq', async () => {
		const { channel, notifications, problems, reply } = await joined(5);
		expect(channel.lastSeq).toBe(5);
		reply({ type: 'listeners:count', seq: 6, data: { count: 3 } });
		reply({ type: 'stage:left', seq: 7, data: { userId } });
		expect(notifications.map((n) => n.seq)).toEqual([6, 7]);
		expect(problems).toEqual([]);
	});

	test('a seq gap is reported and the notification still delivered', async () => {
		const { notifications, problems, reply } = await joined(5);
		reply({ type: 'listeners:count', seq: 8, data: { count: 3 } });
		reply({ type: 'listeners:count', seq: 9, data: { count: 4 } });
		expect(notifications.map((n) => n.seq)).toEqual([8, 9]);
		expect(problems).toEqual([
			{ kind: 'gap', seq: 8, expected: 6, message: 'listeners:count [seq:8] where seq 6 was due' },
		]);
	});

	test('notifications before the join reply are reported as early and count towards the next seq', async () => {
		const { channel, notifications, problems, reply } = setup();
		const join = channel.request('session:join', { ticket: 't', protocolVersion: 1 });
		reply({ type: 'listeners:count', seq: 6, data: { count: 3 } });
		reply({ id: 1, ok: true, data: { routerRtpCapabilities: {}, snapshot: snapshot(5) } });
		await join;
		reply({ type: 'listeners:count', seq: 7, data: { count: 4 } });
		expect(notifications.map((n) => n.seq)).toEqual([6, 7]);
		expect(problems.map((p) => p.kind)).toEqual(['early']);
	});

	test('a notification with bad data or an unknown type is reported and dropped', async () => {
		const { notifications, problems, reply } = await joined(0);
		reply({ type: 'listeners:count', seq: 1, data: { count: 'many' } });
		reply({ type: 'party:started', seq: 1, data: {} });
		reply({ type: 'stage:left', seq: 1 });
		expect(notifications).toEqual([]);
		expect(problems).toEqual([
			{ kind: 'frame', message: 'listeners:count data/count: must be integer' },
			{ kind: 'frame', message: 'unknown type "party:started"' },
			{ kind: 'frame', message: expect.stringMatching(/^bad envelope/) },
		]);
	});
});

describe('parseServerFrame()', () => {
	test.each([
		['not JSON', '{', 'frame is not JSON'],
		['an array', '[]', /^bad envelope/],
		['null', 'null', /^bad envelope/],
		['a reply without ok', '{"id":1}', /^bad envelope/],
		['a negative id', '{"id":-1,"ok":true}', /^bad envelope/],
	])('rejects %s', (_name, raw, problem) => {
		const parsed = parseServerFrame(raw);
		expect(parsed.ok).toBe(false);
		expect(parsed.ok ? undefined : parsed.problem).toMatch(problem);
	});

	test('keeps only the protocol fields of what it accepts', () => {
		expect(parseServerFrame('{"id":3,"ok":true,"data":{},"extra":1}')).toEqual({
			ok: true,
			kind: 'reply',
			reply: { id: 3, ok: true, data: {} },
		});
		expect(parseServerFrame({ type: 'host:changed', seq: 2, data: { userId }, x: 1 })).toEqual({
			ok: true,
			kind: 'notification',
			notification: { type: 'host:changed', seq: 2, data: { userId } },
		});
	});

	test('checks reply data only when the request type of the id is known', () => {
		const frame = { id: 9, ok: true, data: { producerId: 7 } };
		expect(parseServerFrame(frame).ok).toBe(true);
		expect(parseServerFrame(frame, () => 'produce')).toEqual({
			ok: false,
			id: 9,
			problem: 'reply: produce data/producerId: must be string',
		});
	});
});
