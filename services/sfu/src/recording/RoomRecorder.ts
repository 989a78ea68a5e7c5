import { createSocket, type Socket } from 'node:dgram';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { RecordingTimeline } from './RecordingTimeline.js';
import { TrackWriter } from './TrackWriter.js';

/** The timeline so far, rewritten every second while recording (what a lost node leaves behind). */
export const CHECKPOINT_FILE = 'checkpoint.json';

const RTP_HEADER_SIZE = 12;
// Idle tracks are padded to this far behind now, so a speaker's late packets never land after silence.
const PAD_LAG_MS = 1000;

/** What a recorder taps on the room's origin: its Router, where every stage producer is. */
export interface RecorderTap {
	/** The room's origin Router (on one worker; a new one after that worker died). */
	router: types.Router;
}

/** A finished capture: the files in `dir` and the timeline. */
export interface CaptureResult {
	tracks: { userId: string; path: string; file: string; durationMs: number; firstAudioMs: number | null }[];
	timeline: ReturnType<RecordingTimeline['finish']>;
	durationMs: number;
}

// Offset of the payload of an RTP packet (after CSRCs and header extensions), or −1 if it is not RTP.
function payloadOffset(packet: Buffer): number {
	if (packet.length < RTP_HEADER_SIZE || packet[0]! >> 6 !== 2) {
		return -1;
	}
	let at = RTP_HEADER_SIZE + (packet[0]! & 0x0f) * 4;
	if (packet[0]! & 0x10) {
		if (packet.length < at + 4) {
			return -1;
		}
		at += 4 + packet.readUInt16BE(at + 2) * 4;
	}
	// Padding (RFC 3550 §5.1) is not part of the Opus packet.
	const end = packet[0]! & 0x20 ? packet.length - packet[packet.length - 1]! : packet.length;

	return at < end ? at : -1;
}

/**
 * The capture of one recording on the room's origin node: a PlainTransport on the room's Router sends
 * every stage producer (one consumer each, no transcoding) as RTP to a UDP socket of this process,
 * which writes each speaker's payloads to their {@link TrackWriter}. A new Router (the worker died) is
 * tapped with {@link attach}; the time without packets becomes silence.
 */
export class RoomRecorder {
	/** Recording id (the API's). */
	readonly id: string;
	/** When it started (ms since epoch): time 0 of every track and of the timeline. */
	readonly startedAt: number;
	/** Who spoke, was on stage and was muted when. */
	readonly timeline: RecordingTimeline;
	readonly #dir: string;
	readonly #log: Logger;
	readonly #now: () => number;
	readonly #tracks = new Map<string, TrackWriter>();
	// SSRC of each consumer → whose voice.
	readonly #ssrcs = new Map<number, string>();
	#socket: Socket | undefined;
	#transport: types.PlainTransport | undefined;
	#padTimer: NodeJS.Timeout;
	#stopped = false;

	/** A recorder writing into `dir` (which exists). */
	constructor(options: { id: string; startedAt: number; dir: string; now: () => number; log: Logger }) {
		this.id = options.id;
		this.startedAt = options.startedAt;
		this.#dir = options.dir;
		this.#now = options.now;
		this.#log = options.log.child({ recordingId: options.id });
		this.timeline = new RecordingTimeline(options.startedAt);
		this.#padTimer = setInterval(() => this.#pad(), 1000);
		this.#padTimer.unref();
	}

	/** Taps `tap.router` and consumes `producers` (the stage's microphones now). */
	async attach(
		tap: RecorderTap,
		producers: readonly { producer: types.Producer; userId: string }[]
	): Promise<void> {
		if (this.#stopped) {
			return;
		}
		const socket = await this.#ensureSocket();
		const { port } = socket.address();
		this.#transport?.close();
		const transport = await tap.router.createPlainTransport({
			listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
			rtcpMux: true,
			comedia: false,
			appData: { recording: this.id },
		});
		await transport.connect({ ip: '127.0.0.1', port });
		if (this.#stopped) {
			transport.close();

			return;
		}
		this.#transport = transport;
		transport.observer.once('close', () => {
			if (this.#transport === transport) {
				this.#transport = undefined;
			}
		});
		await Promise.all(producers.map(({ producer, userId }) => this.addProducer(producer, userId)));
		this.#log.info({ producers: producers.length }, 'attach() | tapped the room router');
	}

	/** The router is gone (its worker died): the capture pauses until the next {@link attach}. */
	detach(): void {
		this.#transport?.close();
		this.#transport = undefined;
		this.timeline.gap(this.#now());
	}

	/** A stage member's microphone: consume it into their track. */
	async addProducer(producer: types.Producer, userId: string): Promise<void> {
		const transport = this.#transport;
		if (!transport || transport.closed || producer.closed) {
			return;
		}
		try {
			const consumer = await transport.consume({
				producerId: producer.id,
				rtpCapabilities: RECORDER_CAPABILITIES,
				appData: { recording: this.id, userId },
			});
			const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
			if (ssrc === undefined) {
				consumer.close();

				return;
			}
			this.#ssrcs.set(ssrc, userId);
			this.#tracks.get(userId)?.resync();
			consumer.observer.once('close', () => this.#ssrcs.delete(ssrc));
		} catch (error) {
			this.#log.warn({ err: error, userId }, 'addProducer() | not recorded');
		}
	}

	/** Stops capturing at `endMs`: every track is padded to it and closed. */
	stop(endMs: number): CaptureResult {
		this.#stopped = true;
		clearInterval(this.#padTimer);
		this.#transport?.close();
		this.#socket?.close();
		const tracks = [...this.#tracks.values()].map((track) => {
			track.close(endMs);

			return {
				userId: track.userId,
				path: track.path,
				file: track.path.slice(this.#dir.length + 1),
				durationMs: track.durationMs,
				firstAudioMs: track.firstAudioMs,
			};
		});

		return { tracks, timeline: this.timeline.finish(endMs), durationMs: Math.max(0, endMs - this.startedAt) };
	}

	async #ensureSocket(): Promise<Socket> {
		if (this.#socket) {
			return this.#socket;
		}
		const socket = createSocket('udp4');
		socket.on('message', (packet) => this.#packet(packet));
		socket.on('error', (error) => this.#log.warn({ err: error }, 'socket error'));
		await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
		this.#socket = socket;

		return socket;
	}

	#packet(packet: Buffer): void {
		const pt = (packet[1] ?? 0) & 0x7f;
		if (pt >= 64 && pt <= 95) {
			return; // RTCP on the muxed port
		}
		const offset = payloadOffset(packet);
		if (offset < 0) {
			return;
		}
		const userId = this.#ssrcs.get(packet.readUInt32BE(8));
		if (!userId) {
			return;
		}
		let track = this.#tracks.get(userId);
		if (!track) {
			track = new TrackWriter(userId, join(this.#dir, `track-${userId}.ogg`), this.startedAt);
			this.#tracks.set(userId, track);
		}
		const end = packet[0]! & 0x20 ? packet.length - packet[packet.length - 1]! : packet.length;
		// Copied: the writer keeps payloads until their page is written.
		track.packet(
			Buffer.from(packet.subarray(offset, end)),
			packet.readUInt16BE(2),
			packet.readUInt32BE(4),
			this.#now()
		);
	}

	#pad(): void {
		const now = this.#now();
		for (const track of this.#tracks.values()) {
			track.padTo(now - PAD_LAG_MS);
		}
		// Written beside and renamed, so a crash never leaves half a JSON file.
		try {
			const file = join(this.#dir, CHECKPOINT_FILE);
			writeFileSync(`${file}.tmp`, JSON.stringify(this.timeline.snapshot(now - PAD_LAG_MS)));
			renameSync(`${file}.tmp`, file);
		} catch (error) {
			this.#log.warn({ err: error }, 'pad() | checkpoint not written');
		}
	}
}

/** What the recorder's consumers accept: the room's one codec. */
const RECORDER_CAPABILITIES: types.RtpCapabilities = {
	codecs: [
		{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
	],
	headerExtensions: [],
};
