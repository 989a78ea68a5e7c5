import { randomUUID } from 'node:crypto';

// The Janus HTTP API (https://janus.conf.meetecho.com/docs/rest.html): a session, plugin handles on it,
// synchronous plugin requests answered in the POST's reply, and asynchronous ones whose events arrive on
// the session's long poll (GET …/janus/<session>).

type JanusReply = {
	janus: string;
	transaction?: string;
	sender?: number;
	data?: { id: number };
	error?: { code: number; reason: string };
	plugindata?: { plugin: string; data: Record<string, unknown> };
};

/** A Janus API error (the request failed, or the plugin answered with an error code). */
export class JanusError extends Error {
	override readonly name = 'JanusError';
}

function pluginData(reply: JanusReply): Record<string, unknown> {
	if (reply.error) {
		throw new JanusError(`janus: ${reply.error.reason} (${reply.error.code})`);
	}
	const data = reply.plugindata?.data;
	if (!data) {
		throw new JanusError(`janus: no plugin data in ${JSON.stringify(reply)}`);
	}
	if (data.error_code !== undefined) {
		throw new JanusError(`janus plugin: ${String(data.error)} (${String(data.error_code)})`);
	}
	return data;
}

/** One Janus session with its long poll running; attach plugin handles to it. */
export class JanusSession {
	readonly #url: string;
	readonly #id: number;
	readonly #waiting = new Map<string, (reply: JanusReply) => void>();
	#polling = true;
	readonly #abort = new AbortController();
	readonly #poller: Promise<void>;

	/** Creates a session on the Janus at `url` (`http://…/janus`). */
	static async create(url: string): Promise<JanusSession> {
		const reply = await post(url, { janus: 'create' });
		return new JanusSession(url, reply.data!.id);
	}

	private constructor(url: string, id: number) {
		this.#url = url;
		this.#id = id;
		this.#poller = this.#poll();
	}

	/** Attaches a handle to `plugin` (e.g. `janus.plugin.videoroom`); returns its id. */
	async attach(plugin: string): Promise<number> {
		return (await post(`${this.#url}/${this.#id}`, { janus: 'attach', plugin })).data!.id;
	}

	/** A synchronous plugin request: its plugin data (throws on an error code). */
	async request(handle: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
		return pluginData(await post(`${this.#url}/${this.#id}/${handle}`, { janus: 'message', body }));
	}

	/** An asynchronous plugin request (acknowledged, answered by an event): the event's plugin data. */
	async requestEvent(
		handle: number,
		body: Record<string, unknown>,
		timeoutMs = 10_000
	): Promise<Record<string, unknown>> {
		const transaction = randomUUID();
		const event = new Promise<JanusReply>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#waiting.delete(transaction);
				reject(new JanusError(`janus: no event for ${String(body.request)} within ${timeoutMs} ms`));
			}, timeoutMs);
			this.#waiting.set(transaction, (reply) => {
				clearTimeout(timer);
				resolve(reply);
			});
		});
		const ack = await post(`${this.#url}/${this.#id}/${handle}`, { janus: 'message', body, transaction });
		if (ack.janus !== 'ack') {
			this.#waiting.delete(transaction);
			return pluginData(ack);
		}
		return pluginData(await event);
	}

	/**
	 * Waits until a VideoRoom lists `count` participants: a remote publisher joins its room from its own
	 * thread after add_remote_publisher has answered, so an rtp_forward right away may find "no such feed".
	 */
	async waitForRemotePublishers(
		handle: number,
		room: number,
		count: number,
		timeoutMs = 5000
	): Promise<void> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			const list = await this.request(handle, { request: 'listparticipants', room });
			if (((list.participants as unknown[]) ?? []).length >= count) {
				return;
			}
			if (performance.now() > deadline) {
				throw new JanusError(`janus: ${count} publishers not in room ${room} after ${timeoutMs} ms`);
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** Stops polling and destroys the session (and its handles). */
	async destroy(): Promise<void> {
		this.#polling = false;
		this.#abort.abort();
		await post(`${this.#url}/${this.#id}`, { janus: 'destroy' }).catch(() => undefined);
		await this.#poller;
	}

	async #poll(): Promise<void> {
		while (this.#polling) {
			try {
				const res = await fetch(`${this.#url}/${this.#id}?maxev=50`, { signal: this.#abort.signal });
				const body = (await res.json()) as JanusReply | JanusReply[];
				for (const reply of Array.isArray(body) ? body : [body]) {
					const waiter = reply.transaction && this.#waiting.get(reply.transaction);
					if (waiter) {
						this.#waiting.delete(reply.transaction!);
						waiter(reply);
					}
				}
			} catch {
				// Janus stopped, or the session is gone: the loop ends with #polling.
				if (this.#polling) {
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}
		}
	}
}

async function post(url: string, message: Record<string, unknown>): Promise<JanusReply> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ transaction: randomUUID(), ...message }),
	});
	const reply = (await res.json()) as JanusReply;
	if (reply.janus === 'error') {
		throw new JanusError(`janus: ${reply.error?.reason ?? 'error'} (${reply.error?.code ?? res.status})`);
	}
	return reply;
}
