import type { NotificationData } from '@majlis/protocol';
import { consumeStage } from '../lib/consumeStage';
import type { VoiceCounters } from '../lib/diagnosis';
import type { Media, MediaStats } from '../lib/MediaSession';
import type { Session } from '../lib/RoomConnection';

/**
 * {@link Media} without WebRTC, for driving a room client in Node: it records what it is asked to do
 * and resumes consumers over the real session, so the signalling around media stays the real code.
 */
export class FakeMedia implements Media {
	/** Sessions media was started on, by id. */
	readonly started: number[] = [];
	/** Consumers set up and not closed. */
	readonly consumers = new Set<string>();
	/** How many times everything was dropped. */
	stops = 0;
	/** Makes the next start() fail with this error. */
	failNextStart: Error | null = null;
	/** The voices' counters {@link getVoiceCounters} reports (none by default: a silent room). */
	voices: VoiceCounters[] = [];

	async start(session: Session, _routerRtpCapabilities: Record<string, unknown>): Promise<void> {
		const failure = this.failNextStart;
		this.failNextStart = null;
		if (failure) {
			throw failure;
		}
		this.started.push(session.id);
		await consumeStage(session, {}, async ({ consumerId }) => {
			this.consumers.add(consumerId);

			return consumerId;
		});
	}

	async consume(session: Session, data: NotificationData<'consumer:new'>): Promise<void> {
		this.consumers.add(data.consumerId);
		await session.request('consumer:resume', { consumerId: data.consumerId });
	}

	closeConsumer(consumerId: string): void {
		this.consumers.delete(consumerId);
	}

	createSendTransport(): null {
		return null;
	}

	stop(): void {
		this.stops++;
		this.consumers.clear();
	}

	async unlock(): Promise<void> {}

	async getVoiceCounters(): Promise<{ transportConnected: boolean; voices: VoiceCounters[] }> {
		return { transportConnected: true, voices: this.voices };
	}

	setOutputMuted(): void {}

	async setOutputDevice(): Promise<boolean> {
		return false;
	}

	async getStats(): Promise<MediaStats> {
		return {
			streams: this.consumers.size,
			packetsReceived: 0,
			bytesReceived: 0,
			energy: 0,
			packetsSent: 0,
			bytesSent: 0,
		};
	}
}
