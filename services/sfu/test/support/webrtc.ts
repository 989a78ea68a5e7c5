// The werift WebRTC client lives in @majlis/loadgen (its WebRTC listener bots use it too). This file adapts
// it to the tests' `TestClient`, keeping the names and signatures the SFU tests use.
import { setTimeout as sleep } from 'node:timers/promises';
import {
	type CandidateFilter,
	OPUS_SILENCE_FRAME,
	type SignallingChannel,
	WEBRTC_RECV_RTP_CAPABILITIES,
	type WebRtcRecvOptions,
	WebRtcRecvTransport,
	WebRtcSendTransport,
} from '@majlis/loadgen';
import type { TestClient } from './TestClient.js';

export { OPUS_SILENCE_FRAME };

/** RTP capabilities of our werift receiver, in mediasoup's format, for `consume:start`. */
export const RECV_RTP_CAPABILITIES = WEBRTC_RECV_RTP_CAPABILITIES;

/** The test client as the transports' signalling channel (its checks on every frame stay in place). */
function channel(client: TestClient): SignallingChannel {
	// TestClient.request takes the data as an optional rest argument (`request('mic:unmute')`); the same call.
	const request = client.request.bind(client) as unknown as SignallingChannel['request'];

	return {
		request,
		subscribe: (listener) =>
			client.onNotification((n) => listener(n.type, n.data as Record<string, unknown>)),
	};
}

/** A werift send transport (see `WebRtcSendTransport` in @majlis/loadgen). */
export type SendTransport = WebRtcSendTransport;

/** Creates send transports for a test client. */
export const SendTransport = {
	/** Creates the server transport and connects ICE/DTLS/SRTP to it. */
	create(client: TestClient, candidates: CandidateFilter = 'udp'): Promise<SendTransport> {
		return WebRtcSendTransport.create(channel(client), candidates);
	},
};

/** A werift receive transport (see `WebRtcRecvTransport` in @majlis/loadgen). */
export type RecvTransport = WebRtcRecvTransport;

/** Creates receive transports for a test client. */
export const RecvTransport = {
	/** Creates the server transport, starts consuming, and handles every `consumer:new` from now on. */
	create(
		client: TestClient,
		candidates: CandidateFilter = 'udp',
		options: Pick<WebRtcRecvOptions, 'autoResume' | 'batch'> = {}
	): Promise<RecvTransport> {
		return WebRtcRecvTransport.create(channel(client), candidates, options);
	},
};

/** Packets `source` (a receive transport or a participant) gets from `userId` over the next `ms`. */
export async function receivedDuring(
	source: { received(userId: string): number },
	userId: string,
	ms: number
): Promise<number> {
	const before = source.received(userId);
	await sleep(ms);

	return source.received(userId) - before;
}
