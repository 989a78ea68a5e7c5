// Ogg (RFC 3533) pages of one Opus logical stream (RFC 7845). Each page carries whole packets and the
// granule position (48 kHz samples) of the end of its last packet, so a file cut short by a crash is
// still playable up to its last complete page.

const OGG_SAMPLE_RATE = 48_000;
const MAX_SEGMENTS = 255;
const HEADER_SIZE = 27;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let i = 0; i < 256; i++) {
		let r = i << 24;
		for (let j = 0; j < 8; j++) {
			r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
		}
		table[i] = r >>> 0;
	}

	return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial value 0). */
export function oggCrc(data: Uint8Array): number {
	let crc = 0;
	for (const byte of data) {
		crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
	}

	return crc;
}

/**
 * Samples (at 48 kHz) of one Opus packet, from its TOC byte and frame count (RFC 6716 §3.1); 0 for an
 * empty or malformed packet.
 */
export function opusPacketSamples(packet: Uint8Array): number {
	if (packet.length === 0) {
		return 0;
	}
	const toc = packet[0]!;
	const config = toc >> 3;
	let frame: number;
	if (config < 12) {
		frame = [480, 960, 1920, 2880][config % 4]!;
	} else if (config < 16) {
		frame = config % 2 === 0 ? 480 : 960;
	} else {
		frame = [120, 240, 480, 960][config % 4]!;
	}
	const code = toc & 0x03;
	let frames = 1;
	if (code === 1 || code === 2) {
		frames = 2;
	} else if (code === 3) {
		frames = packet.length > 1 ? packet[1]! & 0x3f : 0;
	}

	return frame * frames;
}

/** A 20 ms Opus packet that decodes to silence (CELT, fullband, mono): fills mutes and gaps. */
export const OPUS_SILENCE_20MS: Buffer = Buffer.from([0xf8, 0xff, 0xfe]);
/** Samples of {@link OPUS_SILENCE_20MS}. */
export const SILENCE_SAMPLES = 960;

/**
 * Builds an Ogg Opus stream: the two header pages, then audio pages of whole packets. `sink` receives
 * every finished page (the caller writes it to disk); {@link flush} ends the current page early.
 */
export class OggOpusWriter {
	readonly #serial: number;
	readonly #sink: (page: Buffer) => void;
	#sequence = 0;
	#granule = 0;
	#packets: Buffer[] = [];
	#segments = 0;
	readonly #packetsPerPage: number;
	#ended = false;

	/**
	 * Writes the headers (mono, no pre-skip: the packets are forwarded as sent, so sample 0 is the
	 * recording's time 0). `packetsPerPage` bounds what a crash can lose (50 × 20 ms = 1 s).
	 */
	constructor(sink: (page: Buffer) => void, options: { serial?: number; packetsPerPage?: number } = {}) {
		this.#sink = sink;
		this.#serial = options.serial ?? Math.floor(Math.random() * 0xffffffff);
		this.#packetsPerPage = options.packetsPerPage ?? 50;
		const head = Buffer.alloc(19);
		head.write('OpusHead', 0, 'latin1');
		head[8] = 1; // version
		head[9] = 1; // channels
		head.writeUInt16LE(0, 10); // pre-skip
		head.writeUInt32LE(OGG_SAMPLE_RATE, 12);
		head.writeInt16LE(0, 16); // output gain
		head[18] = 0; // mapping family
		this.#page([head], 0, FLAG_BOS);
		const vendor = Buffer.from('majlis', 'utf8');
		const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
		tags.write('OpusTags', 0, 'latin1');
		tags.writeUInt32LE(vendor.length, 8);
		vendor.copy(tags, 12);
		tags.writeUInt32LE(0, 12 + vendor.length);
		this.#page([tags], 0, 0);
	}

	/** Samples written so far (the granule position once the current page is out). */
	get samples(): number {
		return this.#granule;
	}

	/** Appends one Opus packet lasting `samples` (48 kHz). */
	write(packet: Buffer, samples: number): void {
		if (this.#ended) {
			throw new Error('the Ogg stream has ended');
		}
		const segments = Math.floor(packet.length / 255) + 1;
		if (this.#segments + segments > MAX_SEGMENTS) {
			this.flush();
		}
		this.#packets.push(packet);
		this.#segments += segments;
		this.#granule += samples;
		if (this.#packets.length >= this.#packetsPerPage) {
			this.flush();
		}
	}

	/** Writes the packets held so far as one page. */
	flush(): void {
		if (this.#packets.length > 0) {
			this.#page(this.#packets, this.#granule, 0);
			this.#packets = [];
			this.#segments = 0;
		}
	}

	/** Writes the last page (end of stream). Idempotent. */
	end(): void {
		if (this.#ended) {
			return;
		}
		this.#ended = true;
		this.#page(this.#packets, this.#granule, FLAG_EOS);
		this.#packets = [];
	}

	#page(packets: readonly Buffer[], granule: number, flags: number): void {
		const lacing: number[] = [];
		for (const packet of packets) {
			for (let n = packet.length; ; n -= 255) {
				if (n < 255) {
					lacing.push(n);
					break;
				}
				lacing.push(255);
			}
		}
		const header = Buffer.alloc(HEADER_SIZE + lacing.length);
		header.write('OggS', 0, 'latin1');
		header[4] = 0;
		header[5] = flags;
		header.writeBigUInt64LE(BigInt(granule), 6);
		header.writeUInt32LE(this.#serial, 14);
		header.writeUInt32LE(this.#sequence++, 18);
		header.writeUInt32LE(0, 22);
		header[26] = lacing.length;
		Buffer.from(lacing).copy(header, HEADER_SIZE);
		const page = Buffer.concat([header, ...packets]);
		page.writeUInt32LE(oggCrc(page), 22);
		this.#sink(page);
	}
}
