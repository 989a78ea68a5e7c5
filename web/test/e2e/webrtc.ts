import type { Frame, Page } from 'playwright-core';
import type { RecordedPeerConnection } from './browser';

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
		// Recorded by recordPeerConnections (browser.ts), in the page and in each of its frames.
		for (const { pc } of (window as unknown as { __pcs: RecordedPeerConnection[] }).__pcs) {
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
