import type { ServerNotification, Snapshot } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { parseRoute } from '../../app/router';
import { applyDelta, stateFromSnapshot } from '../room/lib/roomState';

const me = '00000000-0000-4000-8000-000000000002';
const host = '00000000-0000-4000-8000-000000000001';

const snapshot: Snapshot = {
	room: {
		id: '00000000-0000-4000-8000-0000000000aa',
		title: 'Coffee',
		speakRequests: 'everyone',
		maxSpeakers: 10,
	},
	self: { userId: me, role: 'listener', onStage: false, muted: true, handRaised: false, invited: false },
	stage: [],
	listenerCount: 2,
	hostAwayUntil: null,
	seq: 4,
};

function recordingState(recording: { id: string; startedAt: number } | null): ServerNotification {
	return { type: 'recording:state', seq: 0, data: { recording, by: host } } as ServerNotification;
}

describe('recording in the live room state', () => {
	test('a late joiner sees the running recording from the snapshot', () => {
		const recording = { id: '00000000-0000-4000-8000-0000000000bb', startedAt: 1000 };
		expect(stateFromSnapshot({ ...snapshot, recording }).recording).toEqual(recording);
		expect(stateFromSnapshot(snapshot).recording).toBeNull();
	});

	test('start and stop are announced once each', () => {
		const recording = { id: '00000000-0000-4000-8000-0000000000bb', startedAt: 1000 };
		const started = applyDelta(stateFromSnapshot(snapshot), recordingState(recording));
		expect(started.state.recording).toEqual(recording);
		expect(started.announcements).toEqual([{ key: 'announce.recordingStarted' }]);
		expect(applyDelta(started.state, recordingState(recording)).announcements).toEqual([]);
		const stopped = applyDelta(started.state, recordingState(null));
		expect(stopped.state.recording).toBeNull();
		expect(stopped.announcements).toEqual([{ key: 'announce.recordingStopped' }]);
	});

	test('/rooms/:id/replay is the replay page', () => {
		expect(parseRoute('/rooms/abc/replay')).toEqual({ name: 'replay', id: 'abc' });
		expect(parseRoute('/rooms/abc')).toEqual({ name: 'room', id: 'abc' });
	});
});
