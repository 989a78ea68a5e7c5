// The benchmark's bots: speakers sending real Opus RTP through plain SRTP send transports, listeners that
// each hold a real signalling WebSocket and a PlainTransport SRTP sink created through `plain:create` (the
// SFU's own consumer path), and signalling-only listeners. Tickets are signed here as the API would.
import { randomUUID } from 'node:crypto';
import { createTokenService } from '@majlis/server-kit';
import { nowUs } from '../clock.js';
import type { OpusPacketList } from '../opusPackets.js';
import type { Pacer } from '../Pacer.js';
import { LISTENER_RTP_CAPABILITIES, speakerRtpParameters } from '../plainTransports.js';
import { RtpSink } from '../RtpSink.js';
import { RtpSpeaker } from '../RtpSpeaker.js';
import { SignallingClient } from '../SignallingClient.js';
import { createSrtpParameters } from '../SrtpContext.js';
import type { LogHistogram } from '../stats.js';
import { JWT_SECRET } from './processes.js';

const SUITE = 'AEAD_AES_128_GCM' as const;
const tokens = createTokenService(JWT_SECRET);

/** Who a bot is. */
export type Identity = { id: string; handle: string; name: string };

/** A fresh bot identity, `prefix` in its handle and name. */
export function identity(prefix: string): Identity {
	const id = randomUUID();
	return { id, handle: `${prefix}_${id.slice(0, 6)}`, name: `${prefix} ${id.slice(0, 4)}` };
}

/**
 * A join ticket for `who` on `node`. `org`: the room's origin node when `node` relays it (what the API
 * signs for a listener it places on a relay node because the origin is full).
 */
export function ticketFor(
	who: Identity,
	roomId: string,
	node: string,
	speakerGuest: boolean,
	org?: string
): Promise<string> {
	return tokens.signTicket({
		sub: who.id,
		rid: roomId,
		role: 'listener',
		hdl: who.handle,
		name: who.name,
		sg: speakerGuest,
		node,
		...(org === undefined ? {} : { org }),
	} as Parameters<typeof tokens.signTicket>[0]);
}

/** A speaker bot: its socket and its RTP stream. */
export type Speaker = { who: Identity; client: SignallingClient; rtp: RtpSpeaker };

/** Joins as a speaker guest, produces Opus from frame `index * 97` and unmutes; `pacer` drives it. */
export async function startSpeaker(
	url: string,
	ticket: string,
	who: Identity,
	packets: OpusPacketList,
	index: number,
	pacer: Pacer,
	dtx: boolean
): Promise<Speaker> {
	const client = await SignallingClient.connect(url);
	await client.join(ticket);
	// A speaker guest comes up directly (the same request a browser sends).
	await client.request('stage:accept', {});
	const srtp = createSrtpParameters(SUITE);
	const rtp = await RtpSpeaker.create({ packets, ssrc: 0x1000 + index, srtp, dtx, startFrame: index * 97 });
	const plain = await client.request('plain:create', { direction: 'send', srtp });
	await client.request('produce', {
		transportId: plain.transportId,
		kind: 'audio',
		rtpParameters: speakerRtpParameters(rtp, `bench-${index}`),
	});
	await client.request('mic:unmute', {});
	rtp.connect(plain.local.ip, plain.local.port);
	pacer.add(rtp);
	return { who, client, rtp };
}

/**
 * A plain listener bot: its socket, its own sink (none when its transport sends to a shared native sink,
 * which tells listeners apart by SSRC) and when its join began.
 */
export type Listener = { client: SignallingClient; sink?: RtpSink; joinStartUs: number };

/**
 * Joins, opens a plain receive transport and consumes every speaker: to a fresh Node sink, or to
 * `sharedPort` (a native sink's socket, see sinks.ts) when given.
 */
export async function startListener(
	url: string,
	ticket: string,
	latency: LogHistogram,
	sharedPort?: number
): Promise<Listener> {
	const joinStartUs = nowUs();
	const client = await SignallingClient.connect(url);
	client.onNotification = (type, data) => {
		if (type === 'consumer:new') {
			void client.request('consumer:resume', { consumerId: String(data.consumerId) }).catch(() => undefined);
		}
	};
	await client.join(ticket);
	// SRTP leaves the RTP header (sequence number, abs-capture-time) in clear: the sinks count and time
	// packets without decrypting them (the loadgen forwarding test proves the keys interoperate), which
	// keeps the generator's CPU for receiving.
	const sink = sharedPort === undefined ? await RtpSink.create({ latency, verifyEvery: 0 }) : undefined;
	await client.request('plain:create', {
		direction: 'recv',
		remote: { ip: '127.0.0.1', port: sink?.port ?? sharedPort! },
		srtp: createSrtpParameters(SUITE),
	});
	await client.request('consume:start', { rtpCapabilities: { ...LISTENER_RTP_CAPABILITIES } });
	return { client, sink, joinStartUs };
}

/** Leaves: closes the socket (the SFU closes the transport) and the sink. */
export async function stopListener(l: Listener): Promise<void> {
	await l.client.close().catch(() => undefined);
	await l.sink?.close();
}

/** A listener that only holds a signalling socket (no media): for the moderation fan-out at 1,000. */
export async function startSocketOnly(url: string, ticket: string): Promise<SignallingClient> {
	const client = await SignallingClient.connect(url);
	await client.join(ticket);
	return client;
}

/** Runs `make(0..count-1)` with at most `concurrency` at a time; results in index order. */
export async function inBatches<T>(
	count: number,
	concurrency: number,
	make: (i: number) => Promise<T>
): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const i = next++;
				results[i] = await make(i);
			}
		})
	);
	return results;
}
