// CPU and memory of other processes, read from /proc: synchronous and independent of any event loop, so
// a busy generator does not skew what it measures of the SFU.
import { readFileSync } from 'node:fs';

function read(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}

/** Direct children of a process. */
export function children(pid: number): number[] {
	return read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Every process below `pid`, children first. */
export function descendants(pid: number): number[] {
	return children(pid).flatMap((c) => [c, ...descendants(c)]);
}

/** A process's command name (`mediasoup-worker`…), '' when it is gone. */
export function comm(pid: number): string {
	return read(`/proc/${pid}/comm`).trim();
}

/** CPU ms (user+sys) a process has used, 0 when it is gone. */
export function cpuMs(pid: number): number {
	const fields = read(`/proc/${pid}/stat`).split(') ')[1]?.split(' ');
	// utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ = 100 on Linux).
	return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : 0;
}

/** Resident memory of a process in KB, 0 when it is gone. */
export function rssKB(pid: number): number {
	const m = /VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`));
	return m ? Number(m[1]) : 0;
}

/** CPU use as % of one core over `ms` of wall time, from two `cpuMs` readings. */
export function cpuPct(cpuDeltaMs: number, wallMs: number): number {
	return wallMs > 0 ? Math.round((100 * cpuDeltaMs) / wallMs) : 0;
}
