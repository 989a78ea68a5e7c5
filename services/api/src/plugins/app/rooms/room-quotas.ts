import { ErrorCode } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { ConflictError } from '../../../errors.js';
import { type AbuseLimits, DEFAULT_LIMITS } from '../../../limits.js';
import type { ApiOptions } from '../../../options.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** How many rooms one host may have scheduled and live. */
		roomQuotas: RoomQuotas;
	}
}

type Executor = Kysely<DB> | Transaction<DB>;

// Counted per host (the account the room belongs to, whoever of its co-hosts starts it), so ten free
// accounts can hold at most ten live rooms and ten times the scheduled cap, not a thousand.

/** Checks a host's scheduled and live rooms against {@link AbuseLimits}; 409 `limit_reached` when full. */
export function createRoomQuotas(limits: Pick<AbuseLimits, 'liveRoomsPerUser' | 'scheduledRoomsPerUser'>) {
	async function count(executor: Executor, hostId: string, state: 'scheduled' | 'live', except?: string) {
		// Lock the host's row: two concurrent starts (or creations) of one host then count one after the other.
		await executor.selectFrom('users').select('id').where('id', '=', hostId).forUpdate().execute();
		let query = executor
			.selectFrom('rooms')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('host_id', '=', hostId)
			.where('state', '=', state);
		if (except !== undefined) {
			query = query.where('id', '!=', except);
		}

		return Number((await query.executeTakeFirstOrThrow()).n);
	}

	return {
		/** Before scheduling a room for `hostId` (run in the creating transaction). */
		async assertCanSchedule(executor: Executor, hostId: string): Promise<void> {
			const max = limits.scheduledRoomsPerUser;
			if (Number.isFinite(max) && (await count(executor, hostId, 'scheduled')) >= max) {
				throw new ConflictError(
					`a host may have at most ${max} scheduled rooms; start or cancel one first`,
					ErrorCode.LimitReached
				);
			}
		},
		/** Before `roomId` of `hostId` goes live (run in the starting transaction). */
		async assertCanGoLive(executor: Executor, hostId: string, roomId: string): Promise<void> {
			const max = limits.liveRoomsPerUser;
			if (Number.isFinite(max) && (await count(executor, hostId, 'live', roomId)) >= max) {
				throw new ConflictError(
					max === 1
						? 'the host already has a live room; end it first'
						: `a host may have at most ${max} live rooms at a time; end one first`,
					ErrorCode.LimitReached
				);
			}
		},
	};
}

/** What {@link createRoomQuotas} returns. */
export type RoomQuotas = ReturnType<typeof createRoomQuotas>;

/** Decorates the app with `roomQuotas` (no quotas with `rateLimits: false`, as test suites run). */
export default fp(
	async function roomQuotas(app: FastifyInstance, opts: ApiOptions) {
		const unlimited = {
			liveRoomsPerUser: Number.POSITIVE_INFINITY,
			scheduledRoomsPerUser: Number.POSITIVE_INFINITY,
		};
		app.decorate(
			'roomQuotas',
			createRoomQuotas(opts.rateLimits === false ? unlimited : { ...DEFAULT_LIMITS, ...opts.limits })
		);
	},
	{ name: 'room-quotas', dependencies: ['db'] }
);
