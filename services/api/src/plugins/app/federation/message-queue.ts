import type {
	MessageQueue,
	MessageQueueDepth,
	MessageQueueEnqueueOptions,
	MessageQueueListenOptions,
} from '@fedify/fedify';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../db/schema.js';

/** Messages one node claims per pass. */
const BATCH = 20;
/** A claimed message is due again after this long if its node dies while handling it (seconds). */
const LEASE_SECONDS = 120;
/** A message whose handler throws is tried again later, at most this many times in all. */
const MAX_ATTEMPTS = 5;

/** How {@link PostgresMessageQueue} runs. */
export interface PostgresMessageQueueOptions {
	/** How often a listening node looks for messages other nodes queued or that fell due (ms). */
	pollMs?: number;
}

/**
 * Fedify's message queue (deliveries to inboxes and the fan-out to followers) in `federation_queue`, so a
 * delivery queued when a node stops is sent after its restart or by another node, in both the embedded
 * and the real Postgres. Claims take a lease with `FOR UPDATE SKIP LOCKED` (nodes never handle a row at
 * once), and a message with an ordering key waits until the earlier ones with that key are done (Fedify
 * orders a `Delete` after the `Create` of the same object this way). Fedify keeps its own retry policy
 * (`nativeRetrial` is false): a failed delivery comes back as a new, delayed message.
 */
export class PostgresMessageQueue implements MessageQueue {
	readonly #db: Kysely<DB>;
	readonly #log: FastifyBaseLogger;
	readonly #pollMs: number;
	// Wakes this node's listener when it queues something itself, instead of waiting for the next poll.
	#wake: (() => void) | undefined;
	// Something was queued for now while a pass was running: the next pass starts without sleeping.
	#queuedMeanwhile = false;

	/** A queue in `federation_queue` of `db`. */
	constructor(db: Kysely<DB>, log: FastifyBaseLogger, options: PostgresMessageQueueOptions = {}) {
		this.#db = db;
		this.#log = log;
		this.#pollMs = options.pollMs ?? 1000;
	}

	/** Queues `message`, due after `options.delay`. */
	async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
		await this.enqueueMany([message], options);
	}

	/** Queues `messages` in order, all due after `options.delay`. */
	async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
		if (messages.length === 0) {
			return;
		}
		const delayMs = options?.delay ? Math.max(0, options.delay.total({ unit: 'millisecond' })) : 0;
		const dueAt = new Date(Date.now() + delayMs);
		await this.#db
			.insertInto('federation_queue')
			.values(
				messages.map((message) => ({
					message: sql<unknown>`${JSON.stringify(message)}::jsonb`,
					ordering_key: options?.orderingKey ?? null,
					due_at: dueAt,
				}))
			)
			.execute();
		if (delayMs === 0) {
			this.#queuedMeanwhile = true;
			this.#wake?.();
		}
	}

	/** Hands due messages to `handler` until `options.signal` aborts; never rejects. */
	async listen(
		handler: (message: unknown) => Promise<void> | void,
		options?: MessageQueueListenOptions
	): Promise<void> {
		const signal = options?.signal;
		while (!signal?.aborted) {
			let claimed: { id: string; message: unknown; attempts: number }[] = [];
			try {
				claimed = await this.#claim();
				await Promise.all(claimed.map((row) => this.#handle(row, handler)));
			} catch (error) {
				this.#log.error({ err: error }, 'federation | queue pass failed');
			}
			if (claimed.length < BATCH) {
				await this.#sleep(signal);
			}
		}
	}

	/** Messages waiting: ready now and delayed (those being handled are not counted). */
	async getDepth(): Promise<MessageQueueDepth> {
		const row = await this.#db
			.selectFrom('federation_queue')
			.select([
				sql<string>`count(*) filter (where due_at <= now())`.as('ready'),
				sql<string>`count(*) filter (where due_at > now())`.as('delayed'),
			])
			.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
			.executeTakeFirstOrThrow();
		const ready = Number(row.ready);
		const delayed = Number(row.delayed);

		return { queued: ready + delayed, ready, delayed };
	}

	// Due rows not leased, and not behind an earlier row with the same ordering key, leased in the same
	// statement that picks them.
	async #claim(): Promise<{ id: string; message: unknown; attempts: number }[]> {
		const result = await sql<{ id: string; message: unknown; attempts: number }>`
			update federation_queue q
			set lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = q.attempts + 1
			where q.id in (
				select c.id from federation_queue c
				where c.due_at <= now() and (c.lease_until is null or c.lease_until < now())
					and (c.ordering_key is null or not exists (
						select 1 from federation_queue e where e.ordering_key = c.ordering_key and e.id < c.id))
				order by c.due_at, c.id
				limit ${BATCH}
				for update skip locked
			)
			returning q.id, q.message, q.attempts`.execute(this.#db);

		return result.rows;
	}

	async #handle(
		row: { id: string; message: unknown; attempts: number },
		handler: (message: unknown) => Promise<void> | void
	): Promise<void> {
		try {
			await handler(row.message);
		} catch (error) {
			// Fedify's handlers catch delivery failures themselves; a throw here is unexpected, so the
			// message gets a few more tries with growing gaps rather than blocking its ordering key forever.
			this.#log.warn({ err: error, attempt: row.attempts }, 'federation | queued message failed');
			if (row.attempts < MAX_ATTEMPTS) {
				await this.#db
					.updateTable('federation_queue')
					.set({ lease_until: null, due_at: new Date(Date.now() + 2 ** row.attempts * 1000) })
					.where('id', '=', row.id)
					.execute();

				return;
			}
		}
		await this.#db.deleteFrom('federation_queue').where('id', '=', row.id).execute();
	}

	#sleep(signal: AbortSignal | undefined): Promise<void> {
		if (this.#queuedMeanwhile) {
			this.#queuedMeanwhile = false;

			return Promise.resolve();
		}

		return new Promise((resolve) => {
			const done = () => {
				this.#queuedMeanwhile = false;
				clearTimeout(timer);
				signal?.removeEventListener('abort', done);
				this.#wake = undefined;
				resolve();
			};
			const timer = setTimeout(done, this.#pollMs);
			signal?.addEventListener('abort', done, { once: true });
			this.#wake = done;
		});
	}
}
