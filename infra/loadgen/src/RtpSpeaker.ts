import type { Socket } from 'node:dgram';
import { writeNtpTimestamp } from './clock.js';
import { INACTIVE_DBOV, type OpusPacketList } from './opusPackets.js';
import type { Paced } from './Pacer.js';
import { HeaderExtension, RTP_HEADER_SIZE } from './rtpPacket.js';
import { SrtpContext, type SrtpParameters } from './SrtpContext.js';
import { bindUdpSocket, closeUdpSocket } from './udpSocket.js';

const FRAME_TICKS = 960; // 20 ms at Opus's 48 kHz RTP clock.

/** Options of an `RtpSpeaker`. */
export type RtpSpeakerOptions = {
	/** The Opus packets to loop over (from `loadOpusPackets`). */
	packets: OpusPacketList;
	/** RTP SSRC. */
	ssrc: number;
	/** RTP payload type. Default 111 (what browsers use for Opus). */
	payloadType?: number;
	/** Protect packets with these SRTP parameters (the key given to the PlainTransport's `connect`). */
	srtp?: SrtpParameters;
	/** Leave out the frames a DTX encoder would not send (`OpusPacketList.dtx`). Default false. */
	dtx?: boolean;
	/** Where in the packet list to start, so that several speakers do not say the same thing. Default 0. */
	startFrame?: number;
	/** Header extension ids; 0 leaves an extension out. Defaults: mediasoup's preferred ids (10 and 6). */
	absCaptureTimeId?: number;
	/** See `absCaptureTimeId`. */
	audioLevelId?: number;
	/** Local address to bind. Default 127.0.0.1. */
	bindIp?: string;
};

/**
 * Sends an Opus RTP stream, one packet per `tick()` (drive it with a `Pacer`), from its own UDP socket.
 * Every packet carries its send time in the abs-capture-time extension, which mediasoup forwards to
 * consumers unchanged, so a sink can compute the SFU's added latency.
 */
export class RtpSpeaker implements Paced {
	readonly #socket: Socket;
	readonly #options: RtpSpeakerOptions;
	readonly #srtp: SrtpContext | undefined;
	readonly #payloadType: number;
	readonly #absCaptureTimeId: number;
	readonly #audioLevelId: number;
	#target: { ip: string; port: number } | undefined;
	#frame: number;
	#seq = Math.floor(Math.random() * 0x1_0000);
	#roc = 0;
	#timestamp = Math.floor(Math.random() * 0x1_0000_0000);
	#muted = false;
	#talkspurt = true;
	#packetsSent = 0;
	#bytesSent = 0;
	#framesNotSent = 0;

	/** Binds the socket and returns the speaker. */
	static async create(options: RtpSpeakerOptions): Promise<RtpSpeaker> {
		return new RtpSpeaker(await bindUdpSocket(options.bindIp ?? '127.0.0.1'), options);
	}

	private constructor(socket: Socket, options: RtpSpeakerOptions) {
		this.#socket = socket;
		this.#options = options;
		this.#srtp = options.srtp ? new SrtpContext(options.srtp) : undefined;
		this.#payloadType = options.payloadType ?? 111;
		this.#absCaptureTimeId = options.absCaptureTimeId ?? HeaderExtension.AbsCaptureTime.id;
		this.#audioLevelId = options.audioLevelId ?? HeaderExtension.AudioLevel.id;
		this.#frame = options.startFrame ?? 0;
	}

	/** Local UDP port (what the SFU sees as the source). */
	get localPort(): number {
		return this.#socket.address().port;
	}

	/** RTP payload type of the stream. */
	get payloadType(): number {
		return this.#payloadType;
	}

	/** Header extension ids the stream carries (0 = absent). */
	get headerExtensionIds(): { absCaptureTime: number; audioLevel: number } {
		return { absCaptureTime: this.#absCaptureTimeId, audioLevel: this.#audioLevelId };
	}

	/** RTP SSRC of the stream. */
	get ssrc(): number {
		return this.#options.ssrc;
	}

	/** Sets where packets go; until then ticks send nothing. */
	connect(ip: string, port: number): void {
		this.#target = { ip, port };
	}

	/** Stops sending (the RTP clock keeps running, as with a muted track). */
	mute(): void {
		this.#muted = true;
	}

	/** Sends again; the first packet starts a talkspurt (marker bit). */
	unmute(): void {
		this.#muted = false;
	}

	/** Whether the speaker is muted. */
	get muted(): boolean {
		return this.#muted;
	}

	/** RTP packets sent. */
	get packetsSent(): number {
		return this.#packetsSent;
	}

	/** UDP payload bytes sent (RTP header, payload and SRTP tag). */
	get bytesSent(): number {
		return this.#bytesSent;
	}

	/** 20 ms frames not sent (DTX or muted). */
	get framesNotSent(): number {
		return this.#framesNotSent;
	}

	/** Sends the next 20 ms frame (or, when muted or in DTX, only advances the RTP clock). */
	tick(nowUs: number): void {
		const { packets, dtx, levels } = this.#options.packets;
		const index = this.#frame % packets.length;
		this.#frame++;
		const timestamp = this.#timestamp;
		this.#timestamp = (this.#timestamp + FRAME_TICKS) >>> 0;
		if (!this.#target || this.#muted || (this.#options.dtx && dtx[index])) {
			this.#framesNotSent++;
			// RFC 3551 §4.1: the first packet after a silence carries the marker bit.
			this.#talkspurt = true;
			return;
		}
		const payload = packets[index]!;
		const extensions = (this.#absCaptureTimeId ? 9 : 0) + (this.#audioLevelId ? 2 : 0);
		const extensionWords = Math.ceil(extensions / 4);
		const headerLength = RTP_HEADER_SIZE + (extensions ? 4 + extensionWords * 4 : 0);
		const packet = Buffer.allocUnsafe(headerLength + payload.length);
		packet[0] = extensions ? 0x90 : 0x80;
		packet[1] = (this.#talkspurt ? 0x80 : 0) | this.#payloadType;
		packet.writeUInt16BE(this.#seq, 2);
		packet.writeUInt32BE(timestamp, 4);
		packet.writeUInt32BE(this.#options.ssrc >>> 0, 8);
		if (extensions) {
			packet.fill(0, RTP_HEADER_SIZE, headerLength);
			packet.writeUInt16BE(0xbede, RTP_HEADER_SIZE);
			packet.writeUInt16BE(extensionWords, RTP_HEADER_SIZE + 2);
			let at = RTP_HEADER_SIZE + 4;
			if (this.#absCaptureTimeId) {
				// One-byte element header: id, then length − 1.
				packet[at] = (this.#absCaptureTimeId << 4) | 7;
				writeNtpTimestamp(packet, at + 1, nowUs);
				at += 9;
			}
			if (this.#audioLevelId) {
				const level = levels[index]!;
				packet[at] = this.#audioLevelId << 4;
				// RFC 6464: V flag (voice activity) and the level in −dBov.
				packet[at + 1] = (level < INACTIVE_DBOV ? 0x80 : 0) | level;
			}
		}
		payload.copy(packet, headerLength);
		const wire = this.#srtp ? this.#srtp.protectRtp(packet, headerLength, this.#roc) : packet;
		this.#socket.send(wire, this.#target.port, this.#target.ip);
		this.#packetsSent++;
		this.#bytesSent += wire.length;
		this.#talkspurt = false;
		this.#seq = (this.#seq + 1) & 0xffff;
		if (this.#seq === 0) {
			this.#roc++;
		}
	}

	/** Closes the socket. */
	close(): Promise<void> {
		return closeUdpSocket(this.#socket);
	}
}
