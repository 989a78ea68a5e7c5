import type { IceServer } from '@majlis/protocol';

// When to give up on direct media and go through the TURN relay. Pure rules, so they are unit-tested;
// MediaSession applies them to its transports.

/** How long a transport may try direct (and relayed) candidates before the client goes relay-only. */
export const DIRECT_CONNECT_DEADLINE_MS = 6_000;

/** `RTCIceTransportPolicy`: every candidate, or only relayed ones. */
export type IcePolicy = 'all' | 'relay';

/** What went wrong with a transport's connection. */
export type IceTrouble =
	/** ICE reported `failed`. */
	| 'failed'
	/** Still not connected {@link DIRECT_CONNECT_DEADLINE_MS} after it started trying. */
	| 'slow'
	/** An ICE restart did not bring it back in time. */
	| 'restartTimedOut';

/** What to do about it. */
export type IceRemedy =
	/** Rejoin with transports that only use the relay. */
	| 'relay'
	/** Ask the server for new ICE parameters and restart ICE on this transport. */
	| 'restartIce'
	/** Rejoin in full, with the same policy. */
	| 'rejoin'
	/** Nothing yet: ICE is still trying and will say `failed` if it gives up. */
	| 'wait';

/** Whether the API handed out at least one TURN server (a relay to fall back to). */
export function hasRelay(iceServers: readonly IceServer[]): boolean {
	return iceServers.some((server) => server.urls.some((url) => /^turns?:/.test(url)));
}

/**
 * The policy new transports get: relay-only when the person chose "always use the relay" or an earlier
 * session of this visit had to fall back, and there is a relay at all (relay-only without one could
 * never connect).
 */
export function initialIcePolicy(options: {
	forceRelay: boolean;
	fellBack: boolean;
	relay: boolean;
}): IcePolicy {
	return options.relay && (options.forceRelay || options.fellBack) ? 'relay' : 'all';
}

/**
 * The remedy for a transport in trouble. A transport that never connected with every candidate allowed
 * is on a network that blocks direct media (or whose direct path is unusable): with a relay, go
 * relay-only at once. One that did connect and then failed moved networks: restart ICE (the relay's
 * candidates are gathered again too), and only if that does not work in time fall back to the relay.
 */
export function iceRemedy(situation: {
	trouble: IceTrouble;
	policy: IcePolicy;
	relay: boolean;
	everConnected: boolean;
}): IceRemedy {
	const { trouble, policy, relay, everConnected } = situation;
	if (policy === 'all' && relay && (!everConnected || trouble === 'restartTimedOut')) {
		return 'relay';
	}
	switch (trouble) {
		case 'failed':
			return 'restartIce';
		case 'restartTimedOut':
			return 'rejoin';
		case 'slow':
			return 'wait';
	}
}

/**
 * The route media takes on a transport, from its WebRTC stats: `relay` when the selected candidate pair's
 * local candidate is a TURN relay candidate, `direct` for any other selected pair, null before one is
 * selected.
 */
export function mediaRoute(report: ReadonlyMap<string, Record<string, unknown>>): 'direct' | 'relay' | null {
	let pairId: unknown;
	for (const stat of report.values()) {
		if (stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string') {
			pairId = stat.selectedCandidatePairId;
		}
	}
	let pair = typeof pairId === 'string' ? report.get(pairId) : undefined;
	if (!pair) {
		// Browsers without `selectedCandidatePairId`: the nominated pair that succeeded.
		pair = [...report.values()].find(
			(s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded'
		);
	}
	const local = typeof pair?.localCandidateId === 'string' ? report.get(pair.localCandidateId) : undefined;
	if (!local) {
		return null;
	}

	return local.candidateType === 'relay' ? 'relay' : 'direct';
}
