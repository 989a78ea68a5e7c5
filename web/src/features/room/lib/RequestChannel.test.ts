import type { ServerReply } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import {
	InvalidStateError,
	MAX_REQUEST_ID,
	RequestChannel,
	RequestTimeoutError,
	ServerRequestError,
} from './RequestChannel';

function setup(options: { timeoutMs?: number; lastId?: number } = {}) {
	const frames: { id: number; type: string; data: unknown }[] = [];
	const channel = new RequestChannel({ send: (f) => frames.push(JSON.parse(f)), ...options });

	return { channel, frames };
}

describe('RequestChannel', () => {
	test('request() sends {id,type,data} and resolves with the matching reply', async () => {
		const { channel, frames } = setup();
		const first = channel.request('hand:raise', {});
		const second = channel.request('listeners:list', { offset: 0, limit: 10 });
		expect(frames).toEqual([
			{ id: 1, type: 'hand:raise', data: {} },
			{ id: 2, type: 'listeners:list', data: { offset: 0, limit: 10 } },
		]);
		expect(channel.pending).toBe(2);
		// Replies may come in any order; each settles its own request.
		expect(channel.receive({ id: 2, ok: true, data: { items: [], total: 7 } })).toBe(true);
		expect(channel.receive({ id: 1, ok: true, data: {} })).toBe(true);
		await expect(second).resolves.toEqual({ items: [], total: 7 });
		await expect(first).resolves.toEqual({});
		expect(channel.pending).toBe(0);
	});

	test('an error reply rejects with ServerRequestError carrying the code', async () => {
		const { channel } = setup();
		const pending = channel.request('stage:accept', {});
		channel.receive({ id: 1, ok: false, error: { code: 'stage_full', message: 'the stage is full' } });
		const error = await pending.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ServerRequestError);
		expect(error).toMatchObject({
			code: 'stage_full',
			request: 'stage:accept',
			message: 'the stage is full',
		});
	});

	test('a reply nobody waits for is reported and ignored', () => {
		const { channel } = setup();
		expect(channel.receive({ id: 42, ok: true, data: {} } as ServerReply)).toBe(false);
	});

	test('times out per request and forgets it, so a late reply does not settle anything', async () => {
		const { channel } = setup({ timeoutMs: 30 });
		const slow = channel.request('mic:mute', {});
		const fast = channel.request('mic:unmute', {}, 5_000);
		await expect(slow).rejects.toBeInstanceOf(RequestTimeoutError);
		expect(channel.pending).toBe(1);
		expect(channel.receive({ id: 1, ok: true, data: {} })).toBe(false);
		channel.receive({ id: 2, ok: true, data: {} });
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
		const { channel, frames } = setup({ lastId: MAX_REQUEST_ID - 2 });
		const first = channel.request('hand:raise', {});
		const second = channel.request('hand:raise', {});
		const third = channel.request('hand:raise', {});
		expect(frames.map((f) => f.id)).toEqual([MAX_REQUEST_ID - 1, MAX_REQUEST_ID, 1]);
		channel.receive({ id: 1, ok: true, data: {} });
		await third;
		channel.close();
		await expect(Promise.all([first, second])).rejects.toBeInstanceOf(InvalidStateError);
	});

	test('a send that throws rejects the request at once', async () => {
		const channel = new RequestChannel({
			send: () => {
				throw new Error('socket not open');
			},
		});
		await expect(channel.request('hand:raise', {})).rejects.toThrow(/socket not open/);
		expect(channel.pending).toBe(0);
	});
});
