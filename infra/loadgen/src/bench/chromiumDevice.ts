// A process standing for listeners' own devices: real Chromium listeners join and time it, with their
// signalling in this process rather than in the generator's event loop, which carries hundreds of
// listeners' sockets and sinks. Reads `{ url, tickets, concurrency }` as JSON on stdin; writes
// `{ joins, errors }` as JSON on stdout. The first ticket's join starts the browser's WebRTC stack and
// is not timed. Started by phases/chromium.ts.
import { text } from 'node:stream/consumers';
import { type ChromiumJoin, ChromiumListeners } from '../ChromiumListeners.js';
import { inBatches } from './bots.js';

/** What the process is asked for. */
export type DeviceRequest = { url: string; tickets: string[]; concurrency: number };
/** What it answers. */
export type DeviceReply = { joins: ChromiumJoin[]; errors: string[] };

const request = JSON.parse(await text(process.stdin)) as DeviceRequest;
const [first, ...tickets] = request.tickets;
const reply: DeviceReply = { joins: [], errors: [] };
const browser = await ChromiumListeners.launch();
try {
	if (first) {
		await browser.join(request.url, first).catch(() => undefined);
	}
	await inBatches(tickets.length, request.concurrency, async (i) => {
		try {
			reply.joins.push(await browser.join(request.url, tickets[i]!));
		} catch (error) {
			reply.errors.push(error instanceof Error ? error.message : String(error));
		}
	});
} finally {
	await browser.close();
}
process.stdout.write(`${JSON.stringify(reply)}\n`);
