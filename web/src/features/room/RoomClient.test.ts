import { CloseCode, PROTOCOL_VERSION, QUALITY_REPORT_INTERVAL_MS } from '@majlis/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ApiRequestError } from '../../api';
import { CLIENT_RESTART_CODE } from './lib/RoomConnection';
import { RoomClient } from './RoomClient';
import { bindRoomStores } from './stores/bindRoomStores';
import { useAudioStore } from './stores/useAudioStore';
import { useRoomStore } from './stores/useRoomStore';
import { FAKE_IDS, FakeSfu, fakeSnapshot } from './testing/FakeSfu';
import { FakeMedia } from './testing/FakeMedia';

// With no jitter (random() = 1) the backoff is exactly 500, 1000, 2000 … ms.
function setup() {
	const sfu = new FakeSfu();
	const media = new FakeMedia();
	const client = new RoomClient({
		roomId: FAKE_IDS.room,
		join: sfu.join,
		openSocket: sfu.openSocket,
		createMedia: () => media,
		random: () => 1,
	});
	const announced: string[] = [];
	client.on('announce', (items) => announced.push(...items.map((a) => a.key)));

	return { sfu, media, client, announced };
}

// Lets frames cross the in-memory sockets and timers that are due run.
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

async function connected() {
	const s = setup();
	void s.client.join();
	await settle();
	expect(s.client.state.status).toBe('connected');

	return s;
}

beforeEach(() => {
	vi.useFakeTimers();
	// Bad frames and seq gaps are reported on the console; the tests check what the client does instead.
	vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

describe('RoomClient joining', () => {
	test('joins with a ticket, applies the snapshot, starts media and counts as connected', async () => {
		const { sfu, media, client } = setup();
		sfu.snapshot = fakeSnapshot(3);
		const statuses: string[] = [];
		client.on('room', (patch) => patch.status && statuses.push(patch.status));
		void client.join();
		await settle();
		expect(statuses).toEqual(['connecting', 'connected']);
		expect(sfu.current.received[0]).toEqual({
			id: 1,
			type: 'session:join',
			data: { ticket: 'ticket-1', protocolVersion: PROTOCOL_VERSION, roomId: FAKE_IDS.room },
		});
		expect(sfu.requests()).toEqual(['session:join', 'consume:start']);
		expect(media.started).toHaveLength(1);
		expect(client.state.live?.seq).toBe(3);
	});

	test('the stage that is on when joining comes in the consume:start reply and is resumed in one request', async () => {
		const { sfu, media, client } = setup();
		const voice = (n: number) => ({
			consumerId: `c${n}`,
			producerId: `p${n}`,
			userId: FAKE_IDS.host,
			kind: 'audio' as const,
			rtpParameters: {},
		});
		sfu.answers['consume:start'] = { data: { consumers: [voice(1), voice(2), voice(3), voice(4)] } };
		void client.join();
		await settle();
		expect(sfu.requests()).toEqual(['session:join', 'consume:start', 'consumers:resume']);
		expect(sfu.current.received[1]?.data).toMatchObject({ batch: true });
		expect(sfu.current.received[2]?.data).toEqual({ consumerIds: ['c1', 'c2', 'c3', 'c4'] });
		expect([...media.consumers]).toEqual(['c1', 'c2', 'c3', 'c4']);
	});

	test('a refused join that rejoining cannot fix closes for good', async () => {
		const { sfu, client } = setup();
		sfu.ticketFailures.push(new ApiRequestError(403, 'banned', 'you are banned from this room'));
		await client.join();
		expect(client.state).toMatchObject({
			status: 'closed',
			closeReason: 'removed',
			closeError: 'error.banned',
		});
		await settle(60_000);
		expect(sfu.tickets).toBe(1);
	});

	test('a close code during the join decides as after it (4010: another protocol version)', async () => {
		const { sfu, client } = setup();
		sfu.holdJoin = true;
		const joining = client.join();
		await settle();
		sfu.current.close(CloseCode.ProtocolVersion);
		await joining;
		expect(client.state).toMatchObject({ status: 'closed', closeReason: 'protocol' });
	});
});

describe('RoomClient delta ordering', () => {
	test('notifications before the join reply are held and applied in seq order; those the snapshot has are dropped', async () => {
		const { sfu, client } = setup();
		sfu.holdJoin = true;
		sfu.snapshot = fakeSnapshot(5);
		void client.join();
		await settle();
		sfu.notify('listeners:count', { count: 30 }, 7);
		sfu.notify('listeners:count', { count: 99 }, 4);
		sfu.notify('listeners:count', { count: 20 }, 6);
		await settle();
		expect(client.state.live).toBeNull();
		sfu.answerJoin();
		await settle();
		// Applied 6 then 7, whatever the arrival order; 4 is older than the snapshot.
		expect(client.state.live).toMatchObject({ listenerCount: 30, seq: 7 });
		sfu.notify('listeners:count', { count: 31 });
		await settle();
		expect(client.state.live).toMatchObject({ listenerCount: 31, seq: 8 });
		expect(sfu.sockets).toHaveLength(1);
	});

	test('a seq gap means a missed delta: the client rejoins and takes a fresh snapshot', async () => {
		const { sfu, client } = await connected();
		sfu.notify('listeners:count', { count: 2 });
		sfu.notify('listeners:count', { count: 4 }, 3);
		await settle();
		expect(sfu.sockets[0]!.closedWith).toBe(CLIENT_RESTART_CODE);
		expect(client.state.status).toBe('reconnecting');
		sfu.snapshot = { ...fakeSnapshot(10), listenerCount: 4 };
		await settle(500);
		expect(sfu.sockets).toHaveLength(2);
		expect(client.state.status).toBe('connected');
		expect(client.state.live).toMatchObject({ listenerCount: 4, seq: 10 });
	});

	test('an invalid frame is dropped, not applied, and the session goes on', async () => {
		const { sfu, client } = await connected();
		sfu.current.send({ type: 'listeners:count', seq: 1, data: { count: 'lots' } });
		sfu.current.send('{not json');
		sfu.current.send({ type: 'stage:party', seq: 1, data: {} });
		await settle();
		expect(client.state.live?.listenerCount).toBe(1);
		sfu.notify('listeners:count', { count: 9 }, 1);
		await settle();
		expect(client.state).toMatchObject({ status: 'connected', live: { listenerCount: 9 } });
		expect(console.warn).toHaveBeenCalledWith(
			'RoomClient | frame: listeners:count data/count: must be integer'
		);
	});

	test('a reply that breaks its schema fails the request instead of being trusted', async () => {
		const { sfu, client } = await connected();
		sfu.answers['listeners:list'] = { data: { items: [{ id: 'x' }], total: 1 } };
		await expect(client.listListeners()).rejects.toMatchObject({ name: 'InvalidReplyError' });
	});
});

describe('RoomClient reconnecting', () => {
	test('a dropped connection is retried with exponential backoff until it succeeds', async () => {
		const { sfu, client, announced } = await connected();
		sfu.ticketFailures.push(
			new ApiRequestError(0, 'network', 'offline'),
			new ApiRequestError(503, 'unavailable', '')
		);
		sfu.current.close(1006);
		await settle();
		expect(client.state.status).toBe('reconnecting');
		await settle(499);
		expect(sfu.tickets).toBe(1);
		await settle(1);
		expect(sfu.tickets).toBe(2); // failed: offline
		await settle(999);
		expect(sfu.tickets).toBe(2);
		await settle(1);
		expect(sfu.tickets).toBe(3); // failed: unavailable
		await settle(2000);
		expect(sfu.tickets).toBe(4);
		expect(client.state.status).toBe('connected');
		expect(announced).toEqual(['announce.reconnected']);
		// A success resets the backoff.
		sfu.current.close(1006);
		await settle(500);
		expect(sfu.tickets).toBe(5);
		expect(client.state.status).toBe('connected');
	});

	test('a room moving to another node is rejoined at once', async () => {
		const { sfu, client } = await connected();
		sfu.current.close(CloseCode.Moving);
		await settle();
		expect(sfu.tickets).toBe(2);
		expect(client.state.status).toBe('connected');
	});

	test('media set-up that fails leaves the attempt to the backoff, and the old session is torn down', async () => {
		const { sfu, media, client } = await connected();
		media.failNextStart = new Error('no device');
		sfu.current.close(1011);
		await settle(500);
		expect(sfu.sockets).toHaveLength(2);
		expect(sfu.sockets[1]!.closedWith).toBe(1000);
		expect(client.state.status).toBe('reconnecting');
		await settle(1000);
		expect(client.state.status).toBe('connected');
		expect(media.stops).toBe(2);
	});

	test('a raised hand is raised again when the new session lost it', async () => {
		const { sfu, client } = await connected();
		await client.raiseHand();
		sfu.notify('self:state', { ...fakeSnapshot(0).self, handRaised: true });
		await settle();
		sfu.current.close(1006);
		await settle(500);
		expect(sfu.requests()).toEqual(['session:join', 'consume:start', 'hand:raise']);
	});

	test('leave() tells the server, closes as left and never reconnects', async () => {
		const { sfu, client } = await connected();
		await client.leave();
		expect(sfu.requests()).toContain('session:leave');
		expect(client.state).toMatchObject({ status: 'closed', closeReason: 'left' });
		await settle(60_000);
		expect(sfu.tickets).toBe(1);
	});
});

describe('RoomClient fatal closes', () => {
	test.each([
		[CloseCode.RoomEnded, 'ended', null],
		[CloseCode.Removed, 'removed', null],
		[CloseCode.Replaced, 'replaced', null],
		[CloseCode.ProtocolVersion, 'protocol', 'room.closed.protocol'],
	])('close code %i stops reconnecting and closes as %s', async (code, reason, error) => {
		const { sfu, media, client } = await connected();
		sfu.current.close(code);
		await settle();
		expect(client.state).toMatchObject({ status: 'closed', closeReason: reason, closeError: error });
		expect(client.closed).toBe(true);
		expect(media.stops).toBeGreaterThan(0);
		await settle(60_000);
		expect(sfu.tickets).toBe(1);
	});

	test.each([
		['room:ended', { reason: 'host' }, 'ended'],
		['session:closing', { reason: 'removed' }, 'removed'],
		['session:closing', { reason: 'replaced' }, 'replaced'],
	] as const)('%s %o before a plain close means %s', async (type, data, reason) => {
		const { sfu, client } = await connected();
		sfu.notify(type, data as never);
		await settle();
		sfu.current.close(1000);
		await settle(60_000);
		expect(client.state).toMatchObject({ status: 'closed', closeReason: reason });
		expect(sfu.tickets).toBe(1);
	});

	test('session:closing "moving" before the close rejoins at once', async () => {
		const { sfu, client } = await connected();
		sfu.notify('session:closing', { reason: 'moving' });
		await settle();
		sfu.current.close(1000);
		await settle();
		expect(sfu.tickets).toBe(2);
		expect(client.state.status).toBe('connected');
	});
});

describe('bindRoomStores()', () => {
	test('resets the stores for the client and writes what it emits', async () => {
		const { sfu, client } = setup();
		useRoomStore.setState({ status: 'closed', closeReason: 'left' });
		const unbind = bindRoomStores(client);
		expect(useRoomStore.getState()).toMatchObject({
			roomId: FAKE_IDS.room,
			status: 'idle',
			closeReason: null,
		});
		void client.join();
		await settle();
		sfu.notify('consumer:new', {
			consumerId: 'c1',
			producerId: 'p1',
			userId: FAKE_IDS.host,
			kind: 'audio',
			rtpParameters: {},
		});
		sfu.notify('stage:invited', { by: { id: FAKE_IDS.host, handle: 'hana', displayName: 'Hana' } });
		await settle();
		expect(useRoomStore.getState()).toMatchObject({ status: 'connected', live: { seq: 2 } });
		expect(useRoomStore.getState().announcements.map((a) => a.key)).toEqual(['announce.youInvited']);
		expect(sfu.requests()).toContain('consumer:resume');
		await client.leave();
		expect(useAudioStore.getState().streams).toBe(0);
		unbind();
		client.dismissError();
		expect(useRoomStore.getState().status).toBe('closed');
	});
});

describe('RoomClient media and quality', () => {
	const voice = (packetsReceived: number, packetsLost: number) => ({
		userId: FAKE_IDS.host,
		at: 0,
		paused: false,
		packetsReceived,
		packetsLost,
		bytesReceived: 0,
		jitter: 0.01,
		audioLevel: 0,
	});

	test('a connected session reports the interval’s quality; a closed client stops reporting', async () => {
		const { sfu, media, client } = setup();
		media.voices = [voice(0, 0)];
		void client.join();
		await settle();
		media.voices = [voice(450, 50)];
		await settle(QUALITY_REPORT_INTERVAL_MS);
		const reports = () => sfu.current.received.filter((frame) => frame.type === 'quality:report');
		expect(reports().map((frame) => frame.data)).toEqual([{ lossPct: 10, jitterMs: 10, verdict: 'poor' }]);
		await client.leave();
		media.voices = [voice(900, 100)];
		await settle(3 * QUALITY_REPORT_INTERVAL_MS);
		expect(reports()).toHaveLength(1);
	});

	test('reporting starts again on the session a reconnect opens', async () => {
		const { sfu, media } = await connected();
		const first = sfu.current;
		first.close(1006);
		await settle(500);
		expect(sfu.current).not.toBe(first);
		media.voices = [voice(0, 0)];
		await settle(QUALITY_REPORT_INTERVAL_MS);
		media.voices = [voice(100, 0)];
		await settle(QUALITY_REPORT_INTERVAL_MS);
		expect(sfu.requests().filter((type) => type === 'quality:report')).toHaveLength(1);
	});

	test('voices announced and gone are the media’s, not deltas of the room state', async () => {
		const { sfu, media, client } = await connected();
		sfu.notify('consumer:new', {
			consumerId: 'c9',
			producerId: 'p9',
			userId: FAKE_IDS.host,
			kind: 'audio',
			rtpParameters: {},
		});
		await settle();
		expect([...media.consumers]).toEqual(['c9']);
		expect(sfu.requests()).toContain('consumer:resume');
		sfu.notify('consumer:closed', { consumerId: 'c9' });
		await settle();
		expect(media.consumers.size).toBe(0);
		expect(client.state).toMatchObject({ status: 'connected' });
	});
});
