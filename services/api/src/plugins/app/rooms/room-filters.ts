import { foldedWords } from '@majlis/protocol';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../../db/schema.js';

// The WHERE clauses of room listings and search, apart from the repository that runs them.

/** Listing filters (all optional but the caller, whose private rooms are included). */
export interface RoomFilter {
	userId: string | null;
	topic?: string | undefined;
	hostHandle?: string | undefined;
	q?: string | undefined;
	language?: string | undefined;
}

/** Rooms `userId` belongs to without hosting them: appointed to a role, or invited as a guest. */
export function isRoomMember(eb: ExpressionBuilder<DB, 'rooms'>, userId: string): Expression<SqlBool> {
	return eb.or([
		eb.exists(
			eb
				.selectFrom('room_roles')
				.select(sql`1`.as('one'))
				.whereRef('room_roles.room_id', '=', 'rooms.id')
				.where('room_roles.user_id', '=', userId)
		),
		eb.exists(
			eb
				.selectFrom('room_guests')
				.select(sql`1`.as('one'))
				.whereRef('room_guests.room_id', '=', 'rooms.id')
				.where('room_guests.user_id', '=', userId)
		),
	]);
}

/** Rooms the caller may see in listings: public ones, plus private ones they belong to. */
export function listable(eb: ExpressionBuilder<DB, 'rooms'>, userId: string | null): Expression<SqlBool> {
	const isPublic = eb('rooms.visibility', '=', 'public');
	if (userId === null) {
		return isPublic;
	}

	return eb.or([
		isPublic,
		eb.and([
			eb('rooms.visibility', '=', 'private'),
			eb.or([eb('rooms.host_id', '=', userId), isRoomMember(eb, userId)]),
		]),
	]);
}

export function matches(eb: ExpressionBuilder<DB, 'rooms'>, filter: RoomFilter): Expression<SqlBool> {
	const conditions: Expression<SqlBool>[] = [listable(eb, filter.userId)];
	if (filter.userId !== null) {
		// Rooms hosted by someone the viewer blocked stay out of their discovery (moderation/blocks).
		conditions.push(
			eb.not(
				eb.exists(
					eb
						.selectFrom('user_blocks')
						.select(sql`1`.as('one'))
						.whereRef('user_blocks.blocked_id', '=', 'rooms.host_id')
						.where('user_blocks.blocker_id', '=', filter.userId)
				)
			)
		);
	}
	if (filter.topic !== undefined) {
		conditions.push(
			sql<SqlBool>`exists (select 1 from unnest(rooms.topics) as t(topic) where lower(t.topic) = ${filter.topic.toLowerCase()})`
		);
	}
	if (filter.hostHandle !== undefined) {
		conditions.push(
			eb(
				'rooms.host_id',
				'in',
				eb
					.selectFrom('users')
					.select('users.id')
					.where(sql<string>`lower(users.handle)`, '=', filter.hostHandle.toLowerCase())
			)
		);
	}
	if (filter.language !== undefined) {
		conditions.push(eb('rooms.language', '=', filter.language));
	}
	if (filter.q !== undefined) {
		conditions.push(searchMatches(filter.q));
	}

	return eb.and(conditions);
}

/**
 * The search condition for `q`: every folded word of it begins a word of the room's search text (see
 * {@link searchDocument}), through the GIN index on `to_tsvector('simple', search_text)`. The words hold
 * only letters and digits, so they are safe in a tsquery; a query of none matches nothing.
 */
export function searchMatches(q: string): Expression<SqlBool> {
	const words = foldedWords(q).slice(0, 8);
	if (words.length === 0) {
		return sql<SqlBool>`false`;
	}
	const query = words.map((w) => `${w}:*`).join(' & ');

	return sql<SqlBool>`to_tsvector('simple', rooms.search_text) @@ to_tsquery('simple', ${query})`;
}
