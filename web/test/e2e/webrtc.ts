import type { BrowserContext, Frame, Page } from 'playwright-core';

/**
 * Keeps every RTCPeerConnection a page (and each of its frames: init scripts run in frames too) makes in
 * `window.__pcs`, so a test can read inbound audio from WebRTC stats where the page shows no counters
 * (the mini-player, an embedded player on another site).
 */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const Native = window.RTCPeerConnection;
		const all: RTCPeerConnection[] = [];
		(window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = all;
		window.RTCPeerConnection = class extends Native {
			constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
				super(...args);
				all.push(this);
			}
		} as typeof RTCPeerConnection;
	});
}

/** Inbound audio over the open peer connections of a page or frame (WebRTC inbound-rtp stats). */
export interface InboundAudio {
	packets: number;
	bytes: number;
	/** totalAudioEnergy: grows only while the decoded sound is not silence. */
	energy: number;
}

/** Reads {@link InboundAudio} of `target` (closed connections count nothing: a stopped player reads 0). */
export function inboundAudio(target: Page | Frame): Promise<InboundAudio> {
	return target.evaluate(async () => {
		const total = { packets: 0, bytes: 0, energy: 0 };
		for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
			if (pc.connectionState === 'closed') {
				continue;
			}
			for (const report of (await pc.getStats()).values()) {
				if (report.type === 'inbound-rtp' && report.kind === 'audio') {
					total.packets += report.packetsReceived ?? 0;
					total.bytes += report.bytesReceived ?? 0;
					total.energy += report.totalAudioEnergy ?? 0;
				}
			}
		}

		return total;
	});
}
