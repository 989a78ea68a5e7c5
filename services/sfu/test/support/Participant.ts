import { performance } from 'node:perf_hooks';
import { CloseCode, type Snapshot } from '@majlis/protocol';
import type { Harness, TestUser } from './harness.js';
import type { TestClient } from './TestClient.js';
import { RecvTransport, SendTransport } from './webrtc.js';

// Close codes after which a rejoin cannot help (the web client's RoomClient treats them the same way).
const FATAL = new Set<number>([
	CloseCode.Replaced,
	CloseCode.Removed,
	CloseCode.RoomEnded,
	CloseCode.ProtocolVersion,
]);

/** Options of {@link Participant}. */
export interface ParticipantOptions {
	/** Send a tone while on stage (re-produced after every rejoin). */
	speak?: boolean;
	/** The Opus frames sent in a loop while speaking (recording tests: a sine); default silence frames. */
	frames?: readonly Buffer[];
	/** Receive the stage's audio. */
	listen?: boolean;
	/** Delay between failed rejoin attempts. */
	retryMs?: number;
	/** Base URL of an API process to ask for tickets over HTTP; default the harness's own API. */
	api?: string;
}

/**
 * A user that stays in a room the way the web client does: joins through the API, sends (on stage) and
 * receives audio over werift, and when the socket closes for a non-fatal reason (`4012 Moving`, a dead
 * node, a network drop) rejoins at once through the API, producing again if the snapshot puts it on
 * stage. The mute state is the server's: the new producer starts paused when the member is muted.
 */
export class Participant {
	readonly #h: Harness;
	readonly #roomId: string;
	readonly #options: ParticipantOptions;
	/** The user. */
	readonly user: TestUser;
	/** The current connection. */
	client!: TestClient;
	/** The snapshot of the latest join. */
	snapshot!: Snapshot;
	/** The current send transport (on stage with `speak`). */
	send: SendTransport | undefined;
	/** The current receive transport (with `listen`). */
	recv: RecvTransport | undefined;
	/** Successful joins after the first. */
	rejoins = 0;
	/** Close codes seen, in order. */
	readonly closes: number[] = [];
	/** When each rejoin completed (`performance.now()`). */
	readonly rejoinedAt: number[] = [];
	/** Errors of failed rejoin attempts. */
	readonly failures: string[] = [];
	#stopped = false;
	#rejoining: Promise<void> | undefined;

	private constructor(h: Harness, user: TestUser, roomId: string, options: ParticipantOptions) {
		this.#h = h;
		this.user = user;
		this.#roomId = roomId;
		this.#options = options;
	}

	/** Joins and sets up media. */
	static async join(
		h: Harness,
		user: TestUser,
		roomId: string,
		options: ParticipantOptions = {}
	): Promise<Participant> {
		const p = new Participant(h, user, roomId, options);
		await p.#connect();

		return p;
	}

	/** Resolves once the current rejoin (if any) is done. */
	async settled(): Promise<void> {
		await this.#rejoining;
	}

	/** RTP packets received from `userId` on the current receive transport. */
	received(userId: string): number {
		return this.recv?.received(userId) ?? 0;
	}

	/** Creates a send transport, produces and sends a tone (after coming on stage). */
	async startSpeaking(): Promise<void> {
		this.send = await SendTransport.create(this.client);
		await this.send.produce();
		this.send.startTone(20, this.#options.frames);
	}

	async #connect(): Promise<void> {
		const joined = await this.#h.join(this.user, this.#roomId, this.user.user.handle, this.#options.api);
		const { client, snapshot } = joined;
		this.client = client;
		this.snapshot = snapshot;
		try {
			if (this.#options.speak && snapshot.self.onStage) {
				await this.startSpeaking();
			}
			if (this.#options.listen) {
				this.recv = await RecvTransport.create(client);
			}
		} catch (error) {
			client.terminate();
			throw error;
		}
		void client.closed.then(({ code }) => this.#onClosed(client, code));
	}

	#onClosed(client: TestClient, code: number): void {
		if (client !== this.client) {
			return;
		}
		this.closes.push(code);
		if (this.#stopped || FATAL.has(code)) {
			return;
		}
		this.#rejoining = this.#rejoin();
	}

	async #rejoin(): Promise<void> {
		const old = [this.send, this.recv];
		this.send = undefined;
		this.recv = undefined;
		await Promise.all(old.map((t) => t?.close().catch(() => undefined)));
		while (!this.#stopped) {
			try {
				await this.#connect();
				this.rejoins += 1;
				this.rejoinedAt.push(performance.now());

				return;
			} catch (error) {
				this.failures.push((error as Error).message);
				await new Promise((resolve) => setTimeout(resolve, this.#options.retryMs ?? 200));
			}
		}
	}

	/** Stops rejoining and closes media and socket. */
	async close(): Promise<void> {
		this.#stopped = true;
		await this.#rejoining?.catch(() => undefined);
		await Promise.all([this.send?.close(), this.recv?.close()].map((p) => p?.catch(() => undefined)));
		await this.client?.close().catch(() => undefined);
	}
}
