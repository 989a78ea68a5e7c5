import type { User, UserSummary } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, UserRow } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Accounts. */
		usersRepository: UsersRepository;
	}
}

/** Postgres unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** The handle is taken (case-insensitively). */
export class HandleTakenError extends Error {
	/** Creates the error. */
	constructor() {
		super('handle taken');
		this.name = 'HandleTakenError';
	}
}

/** A user's public face from a row. */
export function toUser(row: Pick<UserRow, 'id' | 'handle' | 'display_name' | 'created_at'>): User {
	return {
		id: row.id,
		handle: row.handle,
		displayName: row.display_name,
		createdAt: row.created_at.toISOString(),
	};
}

/** A user summary from a row. */
export function toUserSummary(row: Pick<UserRow, 'id' | 'handle' | 'display_name'>): UserSummary {
	return { id: row.id, handle: row.handle, displayName: row.display_name };
}

// LIKE treats %, _ and \ specially; a search for "a_b" must match the underscore literally.
function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Accounts over kysely; every method takes an optional transaction. */
export function createUsersRepository(db: Kysely<DB>) {
	const publicColumns = ['id', 'handle', 'display_name', 'created_at'] as const;

	return {
		/** Inserts a user; throws {@link HandleTakenError} when `lower(handle)` exists. */
		async create(
			values: { handle: string; displayName: string; passwordHash: string },
			trx?: Transaction<DB>
		): Promise<User> {
			try {
				const row = await (trx ?? db)
					.insertInto('users')
					.values({
						handle: values.handle,
						display_name: values.displayName,
						password_hash: values.passwordHash,
						created_at: new Date(),
					})
					.returning(publicColumns)
					.executeTakeFirstOrThrow();

				return toUser(row);
			} catch (error) {
				if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
					throw new HandleTakenError();
				}
				throw error;
			}
		},

		/** A user by id. */
		async findById(id: string, trx?: Transaction<DB>): Promise<User | undefined> {
			const row = await (trx ?? db)
				.selectFrom('users')
				.select(publicColumns)
				.where('id', '=', id)
				.executeTakeFirst();

			return row && toUser(row);
		},

		/** A user by handle, ignoring case. */
		async findByHandle(handle: string, trx?: Transaction<DB>): Promise<User | undefined> {
			const row = await (trx ?? db)
				.selectFrom('users')
				.select(publicColumns)
				.where(sql<string>`lower(handle)`, '=', handle.toLowerCase())
				.where('deleted_at', 'is', null)
				.executeTakeFirst();

			return row && toUser(row);
		},

		/** A user with their password hash, for login. */
		async findCredentials(handle: string): Promise<{ user: User; passwordHash: string } | undefined> {
			const row = await db
				.selectFrom('users')
				.select([...publicColumns, 'password_hash'])
				.where(sql<string>`lower(handle)`, '=', handle.toLowerCase())
				.where('deleted_at', 'is', null)
				.executeTakeFirst();

			return row && { user: toUser(row), passwordHash: row.password_hash };
		},

		/** The password hash of user `id`, or undefined. */
		async passwordHash(id: string): Promise<string | undefined> {
			const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();

			return row?.password_hash;
		},

		/** Replaces user `id`'s password hash. */
		async setPasswordHash(id: string, passwordHash: string): Promise<void> {
			await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
		},

		/** The profile fields of a live account by handle (bio and avatar version too). */
		async findProfile(handle: string): Promise<(User & { bio: string; avatar: string | null }) | undefined> {
			const row = await db
				.selectFrom('users')
				.select([...publicColumns, 'bio', 'avatar'])
				.where(sql<string>`lower(handle)`, '=', handle.toLowerCase())
				.where('deleted_at', 'is', null)
				.executeTakeFirst();

			return row && { ...toUser(row), bio: row.bio, avatar: row.avatar };
		},

		/** Changes the display name and/or bio of user `id`. */
		async updateProfile(
			id: string,
			values: { displayName?: string | undefined; bio?: string | undefined },
			trx?: Transaction<DB>
		): Promise<void> {
			const set: { display_name?: string; bio?: string } = {};
			if (values.displayName !== undefined) {
				set.display_name = values.displayName;
			}
			if (values.bio !== undefined) {
				set.bio = values.bio;
			}
			if (Object.keys(set).length > 0) {
				await (trx ?? db).updateTable('users').set(set).where('id', '=', id).execute();
			}
		},

		/** Sets (or with null, clears) the avatar version of user `id`. */
		async setAvatar(id: string, version: string | null): Promise<void> {
			await db.updateTable('users').set({ avatar: version }).where('id', '=', id).execute();
		},

		/**
		 * Empties a deleted account: a handle nobody chose (so the old one is free again), no name, bio,
		 * avatar or password. The row stays so past rooms and moderation records keep their references.
		 */
		async tombstone(id: string, trx?: Transaction<DB>): Promise<void> {
			await (trx ?? db)
				.updateTable('users')
				.set({
					handle: `deleted_${id.replace(/-/g, '').slice(0, 20)}`,
					display_name: '—',
					bio: '',
					avatar: null,
					password_hash: '!',
					deleted_at: new Date(),
				})
				.where('id', '=', id)
				.execute();
		},

		/** Users whose handle or display name starts with `prefix` (ignoring case); exact handle first. */
		async search(prefix: string, limit: number): Promise<User[]> {
			const lowered = prefix.toLowerCase();
			const pattern = `${escapeLike(lowered)}%`;
			const rows = await db
				.selectFrom('users')
				.select(publicColumns)
				.where((eb) =>
					eb.or([
						eb(sql<string>`lower(handle)`, 'like', pattern),
						eb(sql<string>`lower(display_name)`, 'like', pattern),
					])
				)
				.where('deleted_at', 'is', null)
				.orderBy(sql`lower(handle) = ${lowered}`, 'desc')
				.orderBy(sql`lower(handle)`)
				.limit(limit)
				.execute();

			return rows.map(toUser);
		},
	};
}

/** What {@link createUsersRepository} returns. */
export type UsersRepository = ReturnType<typeof createUsersRepository>;

/** Decorates the app with `usersRepository`. */
export default fp(
	async function usersRepository(app: FastifyInstance) {
		app.decorate('usersRepository', createUsersRepository(app.db));
	},
	{ name: 'users-repository', dependencies: ['db'] }
);
