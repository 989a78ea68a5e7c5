// Send and receive times are wall-clock microseconds. performance.timeOrigin is the process start on the
// wall clock with sub-millisecond precision, so on one host (or hosts synchronised by NTP/PTP) times
// taken in different processes compare; performance.now() is monotonic within a process.
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TWO_32 = 0x1_0000_0000;

/** Wall-clock time in microseconds since the Unix epoch, monotonic within the process. */
export function nowUs(): number {
	return (performance.timeOrigin + performance.now()) * 1000;
}

/** Writes a Unix time in µs as a 64-bit NTP timestamp (UQ32.32 seconds since 1900), the abs-capture-time format. */
export function writeNtpTimestamp(buffer: Buffer, offset: number, unixUs: number): void {
	const seconds = Math.floor(unixUs / 1e6);
	buffer.writeUInt32BE((seconds + NTP_UNIX_OFFSET_S) >>> 0, offset);
	buffer.writeUInt32BE(Math.floor(((unixUs - seconds * 1e6) * TWO_32) / 1e6) >>> 0, offset + 4);
}

/** Reads a 64-bit NTP timestamp back into Unix µs (±0.5 µs). */
export function readNtpTimestampUs(buffer: Buffer, offset: number): number {
	const seconds = buffer.readUInt32BE(offset) - NTP_UNIX_OFFSET_S;
	return seconds * 1e6 + Math.round((buffer.readUInt32BE(offset + 4) * 1e6) / TWO_32);
}
