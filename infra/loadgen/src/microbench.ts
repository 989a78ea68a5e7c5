// Fan-out microbenchmark: one mediasoup Worker in this process, one Opus speaker (SRTP) → N PlainTransport
// SRTP consumers, each sending to its own RtpSink socket here. Measures what one worker (one core)
// forwards and what it costs, before the SFU's signalling and WebRTC transports are in the picture.
//
//   npx tsx infra/loadgen/src/microbench.ts [--counts 100,250,500,1000] [--seconds 10]
//     [--suite AEAD_AES_256_GCM|AES_CM_128_HMAC_SHA1_80|…|none] [--verify-every 25]
//
// The generator shares the machine with the worker, so its own CPU is reported too: when the two together
// approach the core count, latency and loss measure the machine rather than mediasoup (a sink that falls
// behind lets its socket buffer fill: latency climbs to seconds, then packets drop). CPU time per packet is
// the robust figure. Sinks decrypt every 25th packet by default (every stream is still authenticated twice
// a second): decryption in Node costs about as much as mediasoup's whole forwarding step.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { loadOpusPackets } from './opusPackets.js';
import { Pacer } from './Pacer.js';
import {
	closeListener,
	consumeToSink,
	type ListenerEndpoint,
	OPUS_CODEC,
	produceFromSpeaker,
} from './plainTransports.js';
import { addTotals, type SinkTotals } from './RtpSink.js';
import { RtpSpeaker } from './RtpSpeaker.js';
import { createSrtpParameters, type SrtpCryptoSuite } from './SrtpContext.js';
import { LogHistogram, lossPercent, summarize } from './stats.js';
import { localWorkerBin } from './workerBin.js';

/** Microbenchmark settings. */
export type MicrobenchOptions = {
	/** Listener counts to run, one after the other. */
	counts: number[];
	/** Measured seconds per count (after a 2 s warm-up). */
	seconds: number;
	/** SRTP suite on both legs; undefined for plain RTP (to see what SRTP costs). */
	cryptoSuite: SrtpCryptoSuite | undefined;
	/** Sinks authenticate and decrypt every N-th packet (see RtpSinkOptions.verifyEvery). */
	verifyEvery: number;
	/** mediasoup-worker binary (default: localWorkerBin()). */
	workerBin?: string;
};

/** One row of results. */
export type MicrobenchRow = {
	listeners: number;
	forwardedPps: number;
	expectedPps: number;
	workerCpuPct: number;
	workerSysPct: number;
	workerUsPerPacket: number;
	generatorCpuPct: number;
	generatorUsPerPacket: number;
	lossPct: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	latencyMaxMs: number;
	loadAverage: number;
	/** 1 when the run could not keep up (fewer packets received than sent, or p50 latency > 50 ms). */
	saturated: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sinkTotals(listeners: readonly ListenerEndpoint[]): SinkTotals {
	const sum: SinkTotals = { packets: 0, bytes: 0, expected: 0, lost: 0, duplicates: 0, authFailures: 0 };
	for (const l of listeners) {
		addTotals(sum, l.sink.totals());
	}
	return sum;
}

// The worker's CPU time straight from /proc, read synchronously: worker.getResourceUsage() answers through
// the same event loop the sinks keep busy, and under overload its answers arrive seconds late, so its
// snapshots would not line up with the measured window. USER_HZ is 100 on Linux.
function workerCpuMs(worker: types.Worker): { user: number; system: number } {
	// Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
	const fields = readFileSync(`/proc/${worker.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/** Runs one listener count on a fresh router and returns its measurements. */
async function runOne(
	worker: types.Worker,
	listeners: number,
	options: MicrobenchOptions
): Promise<MicrobenchRow> {
	const router = await worker.createRouter({ mediaCodecs: [OPUS_CODEC] });
	const srtp = options.cryptoSuite && createSrtpParameters(options.cryptoSuite);
	const speaker = await RtpSpeaker.create({ packets: await loadOpusPackets(), ssrc: 0x5eed, srtp });
	const pacer = new Pacer();
	const latency = new LogHistogram();
	const endpoints: ListenerEndpoint[] = [];
	try {
		const { producer } = await produceFromSpeaker(router, speaker, { srtp });
		for (let i = 0; i < listeners; i++) {
			endpoints.push(
				await consumeToSink(router, [producer], {
					cryptoSuite: options.cryptoSuite,
					sink: { latency, verifyEvery: options.verifyEvery },
				})
			);
		}
		pacer.add(speaker);
		pacer.start();
		await sleep(2000);

		const worker0 = workerCpuMs(worker);
		const before = sinkTotals(endpoints);
		const sent0 = speaker.packetsSent;
		latency.reset();
		const generator0 = process.cpuUsage();
		const t0 = performance.now();
		await sleep(options.seconds * 1000);
		const after = sinkTotals(endpoints);
		const sent = speaker.packetsSent - sent0;
		const generator = process.cpuUsage(generator0);
		const worker1 = workerCpuMs(worker);
		const wallMs = performance.now() - t0;
		const workerSysMs = worker1.system - worker0.system;
		const workerMs = worker1.user - worker0.user + workerSysMs;

		const forwarded = after.packets - before.packets;
		const generatorMs = (generator.user + generator.system) / 1000;
		const lat = summarize(latency);
		if (after.authFailures > 0) {
			console.warn(`${after.authFailures} packets failed SRTP authentication`);
		}
		return {
			listeners,
			forwardedPps: (forwarded * 1000) / wallMs,
			expectedPps: (sent * listeners * 1000) / wallMs,
			workerCpuPct: (100 * workerMs) / wallMs,
			workerSysPct: (100 * workerSysMs) / wallMs,
			// Per packet that got through; meaningful only while nothing is backlogged (see `saturated`).
			workerUsPerPacket: forwarded > 0 ? (workerMs * 1000) / forwarded : 0,
			generatorCpuPct: (100 * generatorMs) / wallMs,
			generatorUsPerPacket: forwarded > 0 ? (generatorMs * 1000) / forwarded : 0,
			lossPct: lossPercent(after.lost - before.lost, after.expected - before.expected),
			latencyP50Ms: lat.p50 / 1000,
			latencyP99Ms: lat.p99 / 1000,
			latencyMaxMs: lat.max / 1000,
			loadAverage: loadavg()[0]!,
			// Packets queue somewhere (worker or sinks) instead of flowing: the row measures a backlog.
			saturated: forwarded < 0.98 * sent * listeners || lat.p50 > 50_000 ? 1 : 0,
		};
	} finally {
		pacer.stop();
		await speaker.close();
		await Promise.all(endpoints.map(closeListener));
		router.close();
	}
}

/** Runs every listener count on one worker and returns a row per count. */
export async function runMicrobench(options: MicrobenchOptions): Promise<MicrobenchRow[]> {
	const worker = await mediasoup.createWorker({
		workerBin: options.workerBin ?? localWorkerBin(),
		logLevel: 'warn',
	});
	try {
		const rows: MicrobenchRow[] = [];
		for (const count of options.counts) {
			rows.push(await runOne(worker, count, options));
			printRow(rows.at(-1)!, rows.length === 1);
		}
		return rows;
	} finally {
		worker.close();
	}
}

const COLUMNS: [keyof MicrobenchRow, string, number][] = [
	['listeners', 'listeners', 0],
	['expectedPps', 'sent×N pkt/s', 0],
	['forwardedPps', 'received pkt/s', 0],
	['workerCpuPct', 'worker CPU %', 1],
	['workerSysPct', '(of which sys)', 1],
	['workerUsPerPacket', 'worker µs/pkt', 2],
	['generatorCpuPct', 'generator CPU %', 1],
	['generatorUsPerPacket', 'generator µs/pkt', 2],
	['lossPct', 'loss %', 3],
	['latencyP50Ms', 'lat p50 ms', 2],
	['latencyP99Ms', 'lat p99 ms', 2],
	['latencyMaxMs', 'lat max ms', 2],
	['loadAverage', 'load avg', 1],
	['saturated', 'saturated', 0],
];

function printRow(row: MicrobenchRow, header: boolean): void {
	if (header) {
		console.log(`| ${COLUMNS.map(([, title]) => title).join(' | ')} |`);
		console.log(`|${COLUMNS.map(() => '---:').join('|')}|`);
	}
	console.log(`| ${COLUMNS.map(([key, , digits]) => row[key].toFixed(digits)).join(' | ')} |`);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			counts: { type: 'string', default: '100,250,500,1000' },
			seconds: { type: 'string', default: '10' },
			suite: { type: 'string', default: 'AEAD_AES_256_GCM' },
			'verify-every': { type: 'string', default: '25' },
		},
	});
	const options: MicrobenchOptions = {
		counts: values.counts.split(',').map(Number),
		seconds: Number(values.seconds),
		cryptoSuite: values.suite === 'none' ? undefined : (values.suite as SrtpCryptoSuite),
		verifyEvery: Number(values['verify-every']),
	};
	console.log(
		`mediasoup ${mediasoup.version}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ` +
			`1 speaker (Opus 50 pkt/s) → N PlainTransport consumers, ${options.cryptoSuite ?? 'plain RTP'} both legs, ` +
			`sinks verify every ${options.verifyEvery} packet(s), ${options.seconds} s per row`
	);
	await runMicrobench(options);
}

// Only when run as a script, so that importing runMicrobench() runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await main();
}
