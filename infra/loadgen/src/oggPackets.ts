// Ogg (RFC 3533) carries codec packets in pages; each page has a segment table whose lacing values give
// the packet boundaries (a value < 255 ends a packet; a packet may continue on the next page). CRCs are
// not checked: the input comes from a local ffmpeg pipe, not a network.
const CAPTURE = 0x4f676753; // 'OggS'
const PAGE_HEADER_SIZE = 27;

/** Splits an Ogg bitstream into its packets (first logical stream only), header packets included. */
export function parseOggPackets(data: Buffer): Buffer[] {
	const packets: Buffer[] = [];
	let pending: Buffer[] = [];
	let serial: number | undefined;
	let at = 0;
	while (at < data.length) {
		if (data.length < at + PAGE_HEADER_SIZE || data.readUInt32BE(at) !== CAPTURE) {
			throw new Error(`invalid Ogg page at byte ${at}`);
		}
		const lacing = data.subarray(at + PAGE_HEADER_SIZE, at + PAGE_HEADER_SIZE + data[at + 26]!);
		const bodyStart = at + PAGE_HEADER_SIZE + lacing.length;
		const pageEnd = bodyStart + lacing.reduce((sum, value) => sum + value, 0);
		if (pageEnd > data.length) {
			throw new Error(`truncated Ogg page at byte ${at}`);
		}
		const pageSerial = data.readUInt32LE(at + 14);
		serial ??= pageSerial;
		if (pageSerial === serial) {
			let packetStart = bodyStart;
			let end = bodyStart;
			for (const value of lacing) {
				end += value;
				if (value < 255) {
					pending.push(data.subarray(packetStart, end));
					packets.push(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
					pending = [];
					packetStart = end;
				}
			}
			// A last lacing value of 255 means the packet continues on the next page.
			if (packetStart < pageEnd) {
				pending.push(data.subarray(packetStart, pageEnd));
			}
		}
		at = pageEnd;
	}
	return packets;
}
