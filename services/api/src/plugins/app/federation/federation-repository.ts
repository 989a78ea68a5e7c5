import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
	DB,
	FederationFollowingTable,
	FederationPostsTable,
	StoredKeyPair,
} from '../../../db/schema.js';

/** A local user as their fediverse actor shows them. */
export interface LocalActor {
	id: string;
	handle: string;
	displayName: string;
	bio: string;
	avatar: string | null;
	createdAt: Date;
	keys: StoredKeyPair[];
}

/** A fediverse follower of a local user, as Fedify delivers to it. */
export interface RemoteFollower {
	actorIri: string;
	inbox: string;
	sharedInbox: string | null;
}

/** A `federation_following` row. */
export type FollowingRow = Selectable<FederationFollowingTable>;
/** A `federation_posts` row. */
export type PostRow = Selectable<FederationPostsTable>;
/** A received post's fields (everything but the bookkeeping times). */
export type PostValues = Omit<PostRow, 'received_at' | 'updated_at'>;

/** Federation's tables over kysely: actors (opt-in and keys), followers, following and received posts. */
export function createFederationRepository(db: Kysely<DB>) {
	return {
		/** User `userId` as an actor, when they share to the fediverse and their account is in good standing. */
		async actor(userId: string): Promise<LocalActor | undefined> {
			const row = await db
				.selectFrom('federation_actors')
				.innerJoin('users', 'users.id', 'federation_actors.user_id')
				.select([
					'users.id',
					'users.handle',
					'users.display_name',
					'users.bio',
					'users.avatar',
					'users.created_at',
					'federation_actors.keys',
				])
				.where('federation_actors.user_id', '=', userId)
				.where('federation_actors.enabled', '=', true)
				.where('users.deleted_at', 'is', null)
				.where('users.suspended_at', 'is', null)
				.executeTakeFirst();

			return (
				row && {
					id: row.id,
					handle: row.handle,
					displayName: row.display_name,
					bio: row.bio,
					avatar: row.avatar,
					createdAt: row.created_at,
					keys: row.keys,
				}
			);
		},

		/**
		 * Forgets everything federation holds of local user `userId`: their actor and its keys, their
		 * fediverse followers and the accounts they follow (account deletion).
		 */
		async removeUser(userId: string, trx?: Transaction<DB>): Promise<void> {
			for (const table of ['federation_followers', 'federation_following', 'federation_actors'] as const) {
				await (trx ?? db).deleteFrom(table).where('user_id', '=', userId).execute();
			}
		},

		/** A remote account deleted itself: its posts and every local follow of it go. */
		async forgetRemoteActor(actorIri: string): Promise<void> {
			await db.deleteFrom('federation_posts').where('actor_iri', '=', actorIri).execute();
			await db.deleteFrom('federation_following').where('actor_iri', '=', actorIri).execute();
		},

		/** How many users share to the fediverse (NodeInfo). */
		async actorCount(): Promise<number> {
			const row = await db
				.selectFrom('federation_actors')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('enabled', '=', true)
				.executeTakeFirstOrThrow();

			return Number(row.n);
		},

		/** The id of the user with `handle` (any case), or null. */
		async userIdByHandle(handle: string): Promise<string | null> {
			const row = await db
				.selectFrom('users')
				.select('id')
				.where(sql<string>`lower(handle)`, '=', handle.toLowerCase())
				.where('deleted_at', 'is', null)
				.executeTakeFirst();

			return row?.id ?? null;
		},

		/** Whether user `userId` shares to the fediverse. */
		async isEnabled(userId: string): Promise<boolean> {
			const row = await db
				.selectFrom('federation_actors')
				.select('enabled')
				.where('user_id', '=', userId)
				.executeTakeFirst();

			return row?.enabled === true;
		},

		/** Turns sharing on or off; the first time it is turned on, `makeKeys` makes the actor's key pairs. */
		async setEnabled(
			userId: string,
			enabled: boolean,
			makeKeys: () => Promise<StoredKeyPair[]>
		): Promise<void> {
			const updated = await db
				.updateTable('federation_actors')
				.set({ enabled })
				.where('user_id', '=', userId)
				.executeTakeFirst();
			if (updated.numUpdatedRows > 0n || !enabled) {
				return;
			}
			const keys = JSON.stringify(await makeKeys());
			await db
				.insertInto('federation_actors')
				.values({ user_id: userId, enabled, keys })
				.onConflict((oc) => oc.column('user_id').doUpdateSet({ enabled }))
				.execute();
		},

		/** Records (or refreshes) a fediverse follower of `userId`. */
		async addFollower(userId: string, follower: RemoteFollower): Promise<void> {
			const values = { inbox: follower.inbox, shared_inbox: follower.sharedInbox };
			await db
				.insertInto('federation_followers')
				.values({ user_id: userId, actor_iri: follower.actorIri, ...values })
				.onConflict((oc) => oc.columns(['user_id', 'actor_iri']).doUpdateSet(values))
				.execute();
		},

		/** Forgets follower `actorIri` of `userId`. */
		async removeFollower(userId: string, actorIri: string): Promise<void> {
			await db
				.deleteFrom('federation_followers')
				.where('user_id', '=', userId)
				.where('actor_iri', '=', actorIri)
				.execute();
		},

		/** The fediverse followers of `userId`, oldest first. */
		async followers(userId: string): Promise<RemoteFollower[]> {
			const rows = await db
				.selectFrom('federation_followers')
				.select(['actor_iri', 'inbox', 'shared_inbox'])
				.where('user_id', '=', userId)
				.orderBy('created_at')
				.execute();

			return rows.map((r) => ({ actorIri: r.actor_iri, inbox: r.inbox, sharedInbox: r.shared_inbox }));
		},

		/** How many fediverse accounts follow `userId`. */
		async followerCount(userId: string): Promise<number> {
			const row = await db
				.selectFrom('federation_followers')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('user_id', '=', userId)
				.executeTakeFirstOrThrow();

			return Number(row.n);
		},

		/** Records that `userId` asked to follow a remote actor (pending until it accepts). */
		async addFollowing(
			values: Omit<FollowingRow, 'id' | 'accepted_at' | 'created_at'>
		): Promise<FollowingRow> {
			return db
				.insertInto('federation_following')
				.values(values)
				.onConflict((oc) =>
					oc.columns(['user_id', 'actor_iri']).doUpdateSet({
						address: values.address,
						name: values.name,
						inbox: values.inbox,
						follow_iri: values.follow_iri,
					})
				)
				.returningAll()
				.executeTakeFirstOrThrow();
		},

		/** Marks follow `followIri` accepted by the remote actor `actorIri` it was sent to; whether it was ours. */
		async acceptFollowing(actorIri: string, followIri: string): Promise<boolean> {
			const result = await db
				.updateTable('federation_following')
				.set({ accepted_at: new Date() })
				.where('actor_iri', '=', actorIri)
				.where('follow_iri', '=', followIri)
				.executeTakeFirst();

			return result.numUpdatedRows > 0n;
		},

		/** The remote accounts `userId` follows, newest first. */
		following(userId: string): Promise<FollowingRow[]> {
			return db
				.selectFrom('federation_following')
				.selectAll()
				.where('user_id', '=', userId)
				.orderBy('created_at', 'desc')
				.execute();
		},

		/** Removes follow `id` of `userId`; returns the row that was removed. */
		removeFollowing(userId: string, id: string): Promise<FollowingRow | undefined> {
			return db
				.deleteFrom('federation_following')
				.where('id', '=', id)
				.where('user_id', '=', userId)
				.returningAll()
				.executeTakeFirst();
		},

		/** Whether some local user follows `actorIri` (accepted): only then are its posts kept. */
		async isFollowed(actorIri: string): Promise<boolean> {
			const row = await db
				.selectFrom('federation_following')
				.select('id')
				.where('actor_iri', '=', actorIri)
				.where('accepted_at', 'is not', null)
				.executeTakeFirst();

			return row !== undefined;
		},

		/** Stores a received post, or replaces it when its author sends it again. */
		async savePost(post: PostValues): Promise<void> {
			const { object_iri: _iri, actor_iri: _actor, ...changes } = post;
			await db
				.insertInto('federation_posts')
				.values(post)
				.onConflict((oc) =>
					oc
						.column('object_iri')
						.doUpdateSet({ ...changes, updated_at: new Date() })
						// Only its author may change a post.
						.where('federation_posts.actor_iri', '=', post.actor_iri)
				)
				.execute();
		},

		/** Removes post `objectIri` if `actorIri` wrote it; whether there was one. */
		async deletePost(objectIri: string, actorIri: string): Promise<boolean> {
			const result = await db
				.deleteFrom('federation_posts')
				.where('object_iri', '=', objectIri)
				.where('actor_iri', '=', actorIri)
				.executeTakeFirst();

			return result.numDeletedRows > 0n;
		},

		/** Whether post `objectIri` by `actorIri` is stored. */
		async hasPost(objectIri: string, actorIri: string): Promise<boolean> {
			const row = await db
				.selectFrom('federation_posts')
				.select('object_iri')
				.where('object_iri', '=', objectIri)
				.where('actor_iri', '=', actorIri)
				.executeTakeFirst();

			return row !== undefined;
		},

		/** The latest posts of the accounts `userId` follows (accepted), newest first, with who wrote them. */
		feed(userId: string, limit: number) {
			return db
				.selectFrom('federation_posts')
				.innerJoin('federation_following', 'federation_following.actor_iri', 'federation_posts.actor_iri')
				.selectAll('federation_posts')
				.select(['federation_following.address', 'federation_following.name as author_name'])
				.where('federation_following.user_id', '=', userId)
				.where('federation_following.accepted_at', 'is not', null)
				.orderBy('federation_posts.updated_at', 'desc')
				.limit(limit)
				.execute();
		},
	};
}

/** What {@link createFederationRepository} returns. */
export type FederationRepository = ReturnType<typeof createFederationRepository>;
