import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../db/schema.js';

/** `key` as one `text[]` parameter (kysely would spread a bare array into a value list). */
function keyParam(key: KvKey) {
	return sql<string[]>`${sql.val([...key])}::text[]`;
}

/** `value` as JSON text cast to jsonb (pg would turn a top-level array into a Postgres array, not JSON). */
function jsonParam(value: unknown) {
	return sql<unknown>`${JSON.stringify(value)}::jsonb`;
}

/** When an entry set with `options` expires; null: never. */
function expiry(options: KvStoreSetOptions | undefined): Date | null {
	return options?.ttl ? new Date(Date.now() + options.ttl.total({ unit: 'millisecond' })) : null;
}

/** How often expired entries are swept (ms): reads already skip them, this only keeps the table small. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Fedify's key–value store (remote documents and keys it caches, inbox idempotence) in Postgres, so every
 * API node shares it and it works on the embedded database too. Keys are `text[]`; values are JSON.
 */
export class PostgresKvStore implements KvStore {
	readonly #db: Kysely<DB>;
	#sweptAt = Date.now();

	/** A store in `federation_kv` of `db`. */
	constructor(db: Kysely<DB>) {
		this.#db = db;
	}

	/** The live value under `key`, or undefined. */
	async get<T = unknown>(key: KvKey): Promise<T | undefined> {
		const row = await this.#db
			.selectFrom('federation_kv')
			.select('value')
			.where('key', '=', keyParam(key))
			.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
			.executeTakeFirst();

		return row?.value as T | undefined;
	}

	/** Stores `value` under `key`, for `options.ttl` if given. */
	async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
		const row = { key: keyParam(key), value: jsonParam(value), expires_at: expiry(options) };
		await this.#db
			.insertInto('federation_kv')
			.values(row)
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at }))
			.execute();
		await this.#sweep();
	}

	/**
	 * Sets `key` to `newValue` only if it holds `expectedValue` now (undefined: nothing, or expired), in one
	 * statement, so API nodes racing on it (Fedify's delivery circuit breaker) cannot both win.
	 */
	async cas(
		key: KvKey,
		expectedValue: unknown,
		newValue: unknown,
		options?: KvStoreSetOptions
	): Promise<boolean> {
		const row = { key: keyParam(key), value: jsonParam(newValue), expires_at: expiry(options) };
		if (expectedValue === undefined) {
			const inserted = await this.#db
				.insertInto('federation_kv')
				.values(row)
				.onConflict((oc) =>
					oc
						.column('key')
						.doUpdateSet({ value: row.value, expires_at: row.expires_at })
						.where('federation_kv.expires_at', '<=', new Date())
				)
				.executeTakeFirst();

			return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
		}
		const updated = await this.#db
			.updateTable('federation_kv')
			.set({ value: row.value, expires_at: row.expires_at })
			.where('key', '=', row.key)
			.where(sql<boolean>`value = ${jsonParam(expectedValue)}`)
			.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
			.executeTakeFirst();

		return updated.numUpdatedRows > 0n;
	}

	/** Removes `key`. */
	async delete(key: KvKey): Promise<void> {
		await this.#db.deleteFrom('federation_kv').where('key', '=', keyParam(key)).execute();
	}

	/** The live entries whose key starts with `prefix` (all of them without one). */
	async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
		let query = this.#db
			.selectFrom('federation_kv')
			.select(['key', 'value'])
			.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]));
		if (prefix && prefix.length > 0) {
			query = query.where(sql<boolean>`key[1:${sql.lit(prefix.length)}] = ${keyParam(prefix)}`);
		}
		for (const row of await query.execute()) {
			yield { key: row.key as unknown as KvKey, value: row.value };
		}
	}

	async #sweep(): Promise<void> {
		if (Date.now() - this.#sweptAt < SWEEP_EVERY_MS) {
			return;
		}
		this.#sweptAt = Date.now();
		await this.#db.deleteFrom('federation_kv').where('expires_at', '<', new Date()).execute();
	}
}
