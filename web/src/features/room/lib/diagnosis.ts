// Connection diagnostics as plain rules over WebRTC counters and the room state, apart from the browser:
// the panel samples stats once a second and these functions turn two samples into rates and a verdict.

/** Receive counters of one voice (one consumer), as read from its `inbound-rtp` stats. */
export interface VoiceCounters {
	/** The speaker this consumer plays. */
	userId: string;
	/** When the counters were read (ms, any monotonic clock). */
	at: number;
	/** Whether the consumer is paused on this device. */
	paused: boolean;
	/** RTP packets received so far. */
	packetsReceived: number;
	/** RTP packets lost so far (may go down when late packets arrive). */
	packetsLost: number;
	/** Payload bytes received so far. */
	bytesReceived: number;
	/** Interarrival jitter in seconds. */
	jitter: number;
	/** Last audio level, 0..1. */
	audioLevel: number;
}

/** What the room state says about a voice on stage. */
export interface VoiceState {
	/** The speaker. */
	userId: string;
	/** Muted by themselves or a moderator: nothing is sent on purpose. */
	muted: boolean;
	/** The server has a microphone stream (producer) from them. */
	hasAudio: boolean;
	/** The server heard them speak within the last few seconds. */
	recentlySpeaking: boolean;
}

/** The plain verdict for one voice. `checking` until two samples exist. */
export type VoiceVerdict = 'checking' | 'receiving' | 'muted' | 'notReachingYou' | 'notReachingServer';

/** One voice's health as the panel shows it. */
export interface VoiceHealth {
	/** The speaker. */
	userId: string;
	/** The verdict. */
	verdict: VoiceVerdict;
	/** Packets per second over the last interval. */
	packetsPerSecond: number;
	/** Kilobits per second over the last interval. */
	kbps: number;
	/** Share of packets lost over the last interval, 0..100. */
	lossPercent: number;
	/** Jitter in ms. */
	jitterMs: number;
	/** Audio level, 0..1. */
	level: number;
	/** Arriving, but with enough loss or jitter to be heard. */
	poor: boolean;
}

/** Loss above this share of packets (over one interval) is audible as gaps. */
export const POOR_LOSS_PERCENT = 5;
/** Jitter above this makes the jitter buffer grow or drop audio. */
export const POOR_JITTER_MS = 60;

function perSecond(delta: number, ms: number): number {
	return ms > 0 ? Math.max(0, (delta * 1000) / ms) : 0;
}

/** Rates between two samples of the same consumer (`previous` may be missing: the first sample). */
export function voiceRates(
	previous: VoiceCounters | undefined,
	current: VoiceCounters
): Pick<VoiceHealth, 'packetsPerSecond' | 'kbps' | 'lossPercent' | 'jitterMs' | 'level'> | null {
	if (!previous || current.at <= previous.at) {
		return null;
	}
	const ms = current.at - previous.at;
	const received = Math.max(0, current.packetsReceived - previous.packetsReceived);
	const lost = Math.max(0, current.packetsLost - previous.packetsLost);

	return {
		packetsPerSecond: perSecond(received, ms),
		kbps: perSecond((current.bytesReceived - previous.bytesReceived) * 8, ms) / 1000,
		lossPercent: received + lost > 0 ? (lost * 100) / (received + lost) : 0,
		jitterMs: current.jitter * 1000,
		level: current.audioLevel,
	};
}

/** Context shared by every voice of one sample. */
export interface LinkContext {
	/** The receive transport is connected (ICE and DTLS). */
	transportConnected: boolean;
	/** Some other voice delivers packets now: this device's downlink works. */
	otherVoiceArriving: boolean;
}

/**
 * The verdict for one voice. The order matters: a mute explains silence before any network does; a
 * server without the speaker's stream cannot forward it; packets arriving means it reaches you.
 */
export function diagnoseVoice(
	state: VoiceState,
	rates: ReturnType<typeof voiceRates>,
	counters: VoiceCounters | undefined,
	link: LinkContext
): VoiceVerdict {
	if (state.muted) {
		return 'muted';
	}
	if (!state.hasAudio) {
		return 'notReachingServer';
	}
	if (!counters || counters.paused || !link.transportConnected) {
		// The server has the stream, but no consumer plays it here, this device paused it, or the downlink
		// is down.
		return 'notReachingYou';
	}
	if (!rates) {
		return 'checking';
	}
	if (rates.packetsPerSecond > 0) {
		return 'receiving';
	}
	// Nothing arrives although the server has the stream. The server hearing them puts the loss between
	// the server and you; so does a downlink that carries no other voice either (the common phone case).
	// Other voices arriving while theirs does not: their way up fails.
	if (state.recentlySpeaking || !link.otherVoiceArriving) {
		return 'notReachingYou';
	}

	return 'notReachingServer';
}

/** Whether arriving audio is poor enough to be heard as gaps or warbles. */
export function isPoor(rates: NonNullable<ReturnType<typeof voiceRates>>): boolean {
	return rates.lossPercent > POOR_LOSS_PERCENT || rates.jitterMs > POOR_JITTER_MS;
}

/** Send counters of this client's microphone: `outbound-rtp` and the SFU's `remote-inbound-rtp` (RTCP). */
export interface UpstreamCounters {
	/** When read (ms). */
	at: number;
	/** Payload bytes sent so far. */
	bytesSent: number;
	/** RTP packets sent so far. */
	packetsSent: number;
	/** Packets the SFU reported lost (RTCP receiver reports). */
	packetsLost: number;
	/** Fraction lost in the SFU's last report, 0..1. */
	fractionLost: number;
	/** Round trip from RTCP, seconds; null before the first report. */
	roundTripTime: number | null;
	/** Whether the producer is paused (muted). */
	paused: boolean;
}

/** The speaker's view of their own way up. */
export interface UpstreamHealth {
	/** `sending`, `muted`, `notSending` (unmuted but no packets go out), or `checking`. */
	verdict: 'checking' | 'sending' | 'muted' | 'notSending';
	/** Kilobits per second sent. */
	kbps: number;
	/** Loss the SFU reports, 0..100. */
	lossPercent: number;
	/** Round trip in ms; null before the first RTCP report. */
	roundTripMs: number | null;
	/** Enough loss or delay to be heard. */
	poor: boolean;
}

/** Round trips above this make conversation awkward. */
export const POOR_ROUND_TRIP_MS = 400;

/** Upstream health from two samples of the microphone's counters. */
export function diagnoseUpstream(
	previous: UpstreamCounters | undefined,
	current: UpstreamCounters
): UpstreamHealth {
	const roundTripMs = current.roundTripTime === null ? null : current.roundTripTime * 1000;
	const lossPercent = current.fractionLost * 100;
	const poor = lossPercent > POOR_LOSS_PERCENT || (roundTripMs ?? 0) > POOR_ROUND_TRIP_MS;
	if (!previous || current.at <= previous.at) {
		return { verdict: current.paused ? 'muted' : 'checking', kbps: 0, lossPercent, roundTripMs, poor };
	}
	const ms = current.at - previous.at;
	const kbps = perSecond((current.bytesSent - previous.bytesSent) * 8, ms) / 1000;
	const sent = current.packetsSent - previous.packetsSent;
	const verdict = current.paused ? 'muted' : sent > 0 ? 'sending' : 'notSending';

	return { verdict, kbps, lossPercent, roundTripMs, poor: verdict === 'sending' && poor };
}
