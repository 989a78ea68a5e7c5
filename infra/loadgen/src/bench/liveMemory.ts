// What an SFU node's Node process keeps alive, read through its inspector (the bench starts nodes with
// `--inspect` on loopback): a full collection first, then the JS heap in use plus the memory outside it
// (Buffers, ArrayBuffers). Its RSS says less per listener: V8 keeps the heap it grew to while joins
// made garbage, and returns it to the OS on its own schedule.
import WebSocket from 'ws';

type Reply = { id: number; result?: { result?: { value?: unknown } }; error?: { message: string } };

/** Live bytes of the Node process behind the inspector at `inspectUrl` (`http://127.0.0.1:<port>`). */
export async function liveBytes(inspectUrl: string): Promise<number> {
	const [target] = (await (await fetch(`${inspectUrl}/json/list`)).json()) as {
		webSocketDebuggerUrl: string;
	}[];
	if (!target) {
		throw new Error(`no inspector target at ${inspectUrl}`);
	}
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	const pending = new Map<number, (reply: Reply) => void>();
	socket.on('message', (data) => {
		const reply = JSON.parse(String(data)) as Reply;
		pending.get(reply.id)?.(reply);
	});
	let next = 1;
	const call = (method: string, params: object = {}) =>
		new Promise<Reply>((resolve) => {
			const id = next++;
			pending.set(id, resolve);
			socket.send(JSON.stringify({ id, method, params }));
		});
	try {
		// Twice: what the first collection's finalizers release goes in the second.
		await call('HeapProfiler.collectGarbage');
		await call('HeapProfiler.collectGarbage');
		const reply = await call('Runtime.evaluate', {
			expression: 'JSON.stringify(process.memoryUsage())',
			returnByValue: true,
		});
		if (reply.error) {
			throw new Error(`inspector: ${reply.error.message}`);
		}
		const usage = JSON.parse(String(reply.result?.result?.value)) as { heapUsed: number; external: number };
		return usage.heapUsed + usage.external;
	} finally {
		socket.close();
	}
}
