import type { RecordingPeaks, RecordingTimeline, RecordingView, RoomAnalytics } from '@majlis/protocol';
import { api } from '../../api';

const enc = encodeURIComponent;

/** A room's recordings, newest last (`GET /api/rooms/:id/recordings`). */
export async function listRecordings(roomId: string, signal?: AbortSignal): Promise<RecordingView[]> {
	const body = await api<{ items: RecordingView[] }>(`/api/rooms/${enc(roomId)}/recordings`, { signal });

	return body.items;
}

/** Whether the room is scheduled with recording on (`GET …/recordings/setting`). */
export async function getRecordingSetting(roomId: string, signal?: AbortSignal): Promise<boolean> {
	const body = await api<{ enabled: boolean }>(`/api/rooms/${enc(roomId)}/recordings/setting`, { signal });

	return body.enabled;
}

/** Host and co-hosts, before the room starts: turns recording on or off (`PUT …/recordings/setting`). */
export async function setRecordingSetting(roomId: string, enabled: boolean): Promise<boolean> {
	const body = await api<{ enabled: boolean }>(`/api/rooms/${enc(roomId)}/recordings/setting`, {
		method: 'PUT',
		body: { enabled },
	});

	return body.enabled;
}

/** An ended room's figures (`GET /api/rooms/:id/analytics`; host, co-hosts, moderators). */
export function getAnalytics(roomId: string, signal?: AbortSignal): Promise<RoomAnalytics> {
	return api<RoomAnalytics>(`/api/rooms/${enc(roomId)}/analytics`, { signal });
}

// The file URLs are signed and need no Bearer token (an <audio> element sends none).
async function file<T>(url: string, signal?: AbortSignal): Promise<T> {
	const response = await fetch(url, { signal });
	if (!response.ok) {
		throw new Error(`${url}: ${response.status}`);
	}

	return (await response.json()) as T;
}

/** A recording's timeline (who spoke when). */
export function getTimeline(url: string, signal?: AbortSignal): Promise<RecordingTimeline> {
	return file<RecordingTimeline>(url, signal);
}

/** A recording's waveform. */
export function getPeaks(url: string, signal?: AbortSignal): Promise<RecordingPeaks> {
	return file<RecordingPeaks>(url, signal);
}

/** The replay to offer for a room: its latest playable recording, else its latest at all. */
export function pickReplay(recordings: readonly RecordingView[]): RecordingView | null {
	const playable = recordings.filter((r) => r.audioUrl !== null);

	return playable.at(-1) ?? recordings.at(-1) ?? null;
}

/** A room's replay: its latest recording worth offering, with its timeline and waveform when they load. */
export interface Replay {
	recording: RecordingView | null;
	timeline: RecordingTimeline | null;
	peaks: RecordingPeaks | null;
}

/** Loads a room's {@link Replay}: the player works without the timeline or the waveform; they only add to it. */
export async function loadReplay(roomId: string, signal?: AbortSignal): Promise<Replay> {
	const recording = pickReplay(await listRecordings(roomId, signal));
	const [timeline, peaks] = await Promise.all([
		recording?.timelineUrl ? getTimeline(recording.timelineUrl, signal).catch(() => null) : null,
		recording?.peaksUrl ? getPeaks(recording.peaksUrl, signal).catch(() => null) : null,
	]);

	return { recording, timeline, peaks };
}
