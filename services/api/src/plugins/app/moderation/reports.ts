import type { Report } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Reports, the admins' queue and account suspension. */
		reports: Reports;
	}
}

/**
 * Reports of people (or their chat messages) to a room's moderators and the deployment's admins
 * (configured handles), and suspension: a suspended account cannot log in, its sessions end at once
 * (its live sockets close), and so it cannot join either.
 */
export function createReports(db: Kysely<DB>, adminHandles: readonly string[]) {
	const admins = new Set(adminHandles.map((h) => h.trim().replace(/^@/, '').toLowerCase()).filter(Boolean));

	function query() {
		return db
			.selectFrom('reports as r')
			.innerJoin('users as reporter', 'reporter.id', 'r.reporter_id')
			.innerJoin('users as target', 'target.id', 'r.target_id')
			.leftJoin('chat_messages as m', 'm.id', 'r.message_id')
			.select([
				'r.id',
				'r.room_id',
				'r.message_id',
				'r.reason',
				'r.status',
				'r.resolution',
				'r.created_at',
				'm.body as message_text',
				'reporter.id as reporter_id',
				'reporter.handle as reporter_handle',
				'reporter.display_name as reporter_name',
				'target.id as target_id',
				'target.handle as target_handle',
				'target.display_name as target_name',
			]);
	}

	function toReport(r: Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>): Report {
		return {
			id: r.id,
			roomId: r.room_id,
			reporter: toUserSummary({
				id: r.reporter_id,
				handle: r.reporter_handle,
				display_name: r.reporter_name,
			}),
			target: toUserSummary({ id: r.target_id, handle: r.target_handle, display_name: r.target_name }),
			messageId: r.message_id,
			messageText: r.message_text,
			reason: r.reason,
			status: r.status,
			resolution: r.resolution,
			createdAt: r.created_at.toISOString(),
		};
	}

	return {
		/** Whether the user with `handle` is a deployment admin. */
		isAdmin(handle: string): boolean {
			return admins.has(handle.toLowerCase());
		},

		/** Files a report; resolves with it. */
		async create(input: {
			reporterId: string;
			targetId: string;
			roomId: string | null;
			messageId: string | null;
			reason: string;
		}): Promise<Report> {
			const { id } = await db
				.insertInto('reports')
				.values({
					reporter_id: input.reporterId,
					target_id: input.targetId,
					room_id: input.roomId,
					message_id: input.messageId,
					reason: input.reason.trim(),
				})
				.returning('id')
				.executeTakeFirstOrThrow();

			return toReport(await query().where('r.id', '=', id).executeTakeFirstOrThrow());
		},

		/** Open reports: of one room (its moderators' queue), or all of them (the admins' queue), oldest first. */
		async open(roomId?: string): Promise<Report[]> {
			let q = query().where('r.status', '=', 'open');
			if (roomId !== undefined) {
				q = q.where('r.room_id', '=', roomId);
			}

			return (await q.orderBy('r.created_at').orderBy('r.id').execute()).map(toReport);
		},

		/** One report, or undefined. */
		async find(id: string): Promise<Report | undefined> {
			const row = await query().where('r.id', '=', id).executeTakeFirst();

			return row && toReport(row);
		},

		/** Closes a report with what was done. */
		async resolve(id: string, resolution: string, by: string): Promise<void> {
			await db
				.updateTable('reports')
				.set({ status: 'resolved', resolution, resolved_by: by, resolved_at: new Date() })
				.where('id', '=', id)
				.execute();
		},

		/** Suspends an account (its sessions are ended by the caller through `sessions.revokeAll`). */
		async suspend(userId: string): Promise<void> {
			await db.updateTable('users').set({ suspended_at: new Date() }).where('id', '=', userId).execute();
		},

		/** Whether the account is suspended. */
		async isSuspended(userId: string): Promise<boolean> {
			const row = await db
				.selectFrom('users')
				.select('suspended_at')
				.where('id', '=', userId)
				.executeTakeFirst();

			return Boolean(row?.suspended_at);
		},
	};
}

/** What {@link createReports} returns. */
export type Reports = ReturnType<typeof createReports>;

/** Decorates the app with `reports`; admins are the handles in `adminHandles` (MAJLIS_ADMINS). */
export default fp(
	async function reports(app: FastifyInstance, opts: { adminHandles?: readonly string[] }) {
		app.decorate('reports', createReports(app.db, opts.adminHandles ?? []));
	},
	{ name: 'reports', dependencies: ['db'] }
);
