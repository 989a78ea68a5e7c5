// Just enough RTP (RFC 3550) and header-extension (RFC 8285) parsing for the load generator, working on
// the received buffer in place: no packet objects, so a sink costs one Buffer per packet (Node's own).

/** Size of the fixed RTP header. */
export const RTP_HEADER_SIZE = 12;

/** RTP header extensions the load generator writes; ids are mediasoup's preferred ones. */
export const HeaderExtension = {
	/** 64-bit NTP capture time; mediasoup forwards it to consumers untouched (it only rewrites the clock offset). */
	AbsCaptureTime: { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time', id: 10 },
	/** Voice activity + level, which mediasoup's AudioLevelObserver reads. */
	AudioLevel: { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 6 },
} as const;

const ONE_BYTE_PROFILE = 0xbede;
// RFC 8285 two-byte profile: 0x100 followed by 4 "appbits".
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/** Whether a datagram on an rtcp-mux port is RTCP (RFC 5761 §4: payload types 64–95 after the marker bit). */
export function isRtcp(packet: Buffer): boolean {
	const pt = (packet[1] ?? 0) & 0x7f;
	return pt >= 64 && pt <= 95;
}

/** Length of the RTP header including CSRCs and extensions, or −1 if the packet is not valid RTP. */
export function rtpHeaderLength(packet: Buffer): number {
	if (packet.length < RTP_HEADER_SIZE || packet[0]! >> 6 !== 2) {
		return -1;
	}
	let length = RTP_HEADER_SIZE + (packet[0]! & 0x0f) * 4;
	if (packet[0]! & 0x10) {
		if (packet.length < length + 4) {
			return -1;
		}
		length += 4 + packet.readUInt16BE(length + 2) * 4;
	}
	return length <= packet.length ? length : -1;
}

/** Offset of the value of extension `id` if present with at least `minLength` bytes, else −1. */
export function findHeaderExtension(
	packet: Buffer,
	headerLength: number,
	id: number,
	minLength: number
): number {
	if (!(packet[0]! & 0x10)) {
		return -1;
	}
	const start = RTP_HEADER_SIZE + (packet[0]! & 0x0f) * 4;
	const profile = packet.readUInt16BE(start);
	const twoByte = (profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE;
	if (!twoByte && profile !== ONE_BYTE_PROFILE) {
		return -1;
	}
	let at = start + 4;
	while (at < headerLength) {
		const first = packet[at]!;
		if (first === 0) {
			// Padding byte between elements.
			at++;
			continue;
		}
		const elementId = twoByte ? first : first >> 4;
		if (!twoByte && elementId === 15) {
			// Reserved: stop parsing (RFC 8285 §4.2).
			return -1;
		}
		const length = twoByte ? (packet[at + 1] ?? 0) : (first & 0x0f) + 1;
		const value = at + (twoByte ? 2 : 1);
		if (elementId === id) {
			return length >= minLength && value + length <= headerLength ? value : -1;
		}
		at = value + length;
	}
	return -1;
}
