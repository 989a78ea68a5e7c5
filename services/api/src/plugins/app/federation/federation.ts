import { randomUUID } from 'node:crypto';
import type { Context, Federation } from '@fedify/fedify';
import {
	Event as ApEvent,
	Create,
	Delete,
	Follow,
	isActor,
	Note,
	PUBLIC_COLLECTION,
	Tombstone,
	Undo,
	Update,
} from '@fedify/vocab';
import type { WebhookEvent } from '@majlis/protocol';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RoomRow } from '../../../db/schema.js';
import { NotFoundError, ValidationError } from '../../../errors.js';
import type { ApiOptions } from '../../../options.js';
import type { RoomSnapshot } from '../rooms/room-snapshot.js';
import { sendFetchResponse, toFetchRequest } from './fastify-bridge.js';
import {
	createFederationRepository,
	type FederationRepository,
	type FollowingRow,
} from './federation-repository.js';
import type { FederationSettings } from './federation-settings.js';
import { createFedifyApp, makeKeyPairs } from './fedify-app.js';
import { liveNote, roomEvent } from './room-objects.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** ActivityPub federation; null when the deployment does not federate (FEDERATION is off). */
		federation: FederationService | null;
	}
}

const NOT_FOUND = JSON.stringify({ error: { code: 'not_found', message: 'no such route' } });

/** Federation's service: the Fedify app behind the routes, the user's settings, follows and room posts. */
export function createFederationService(
	federation: Federation<void>,
	settings: FederationSettings,
	repo: FederationRepository,
	log: FastifyBaseLogger
) {
	const { publicUrl } = settings;
	const domain = new URL(publicUrl).host;
	const context = (): Context<void> => federation.createContext(new URL(publicUrl), undefined);

	/** Sends `activity` of `userId` to their fediverse followers (through the queue). */
	async function toFollowers(userId: string, activity: Create | Update | Delete): Promise<void> {
		await context().sendActivity({ identifier: userId }, 'followers', activity, { preferSharedInbox: true });
	}

	return {
		settings,
		repository: repo,

		/** `@handle@domain` of a local user. */
		address(handle: string): string {
			return `@${handle}@${domain}`;
		},

		/** Answers a request on a federation route (WebFinger, NodeInfo, actors, inboxes, objects). */
		async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
			const response = await federation.fetch(toFetchRequest(request, publicUrl), {
				contextData: undefined,
				onNotFound: () =>
					new Response(NOT_FOUND, { status: 404, headers: { 'content-type': 'application/json' } }),
			});

			return sendFetchResponse(reply, response);
		},

		/** Turns `userId`'s sharing on or off (their actor's key pairs are made the first time). */
		setEnabled(userId: string, enabled: boolean): Promise<void> {
			return repo.setEnabled(userId, enabled, makeKeyPairs);
		},

		/**
		 * `userId` follows the fediverse account at `address`, found through WebFinger: a signed Follow is
		 * sent, and the follow counts once the account accepts it.
		 */
		async follow(userId: string, address: string): Promise<FollowingRow> {
			const ctx = context();
			const handle = address.startsWith('@') ? address : `@${address}`;
			const target = await ctx.lookupObject(handle).catch(() => null);
			if (!isActor(target) || target.id === null || target.inboxId === null) {
				throw new NotFoundError('fediverse account');
			}
			const self = ctx.getActorUri(userId);
			if (target.id.href === self.href) {
				throw new ValidationError({ address: 'is your own account' });
			}
			const followIri = new URL(`#follows/${randomUUID()}`, self);
			const row = await repo.addFollowing({
				user_id: userId,
				actor_iri: target.id.href,
				address: handle,
				name: (target.name?.toString() ?? target.preferredUsername?.toString() ?? handle).slice(0, 200),
				inbox: target.inboxId.href,
				follow_iri: followIri.href,
			});
			await ctx.sendActivity(
				{ identifier: userId },
				target,
				new Follow({ id: followIri, actor: self, object: target.id })
			);

			return row;
		},

		/** `userId` stops following (follow `id`): the account gets an Undo. False when there is no such follow. */
		async unfollow(userId: string, id: string): Promise<boolean> {
			const row = await repo.removeFollowing(userId, id);
			if (!row) {
				return false;
			}
			const ctx = context();
			const self = ctx.getActorUri(userId);
			const follow = new Follow({ id: new URL(row.follow_iri), actor: self, object: new URL(row.actor_iri) });
			await ctx.sendActivity(
				{ identifier: userId },
				{ id: new URL(row.actor_iri), inboxId: new URL(row.inbox) },
				new Undo({ id: new URL(`#undo/${randomUUID()}`, self), actor: self, object: follow })
			);

			return true;
		},

		/**
		 * Tells the host's followers about a room event (webhooks' event source): scheduled → Create of the
		 * Event; started → Create of the "live now" Note; ended → Update of both with their end. Only public
		 * rooms of hosts who share are ever sent.
		 */
		async roomChanged(event: WebhookEvent, room: RoomSnapshot): Promise<void> {
			if (room.visibility !== 'public' || !(await repo.actor(room.host_id))) {
				return;
			}
			const ctx = context();
			const actor = ctx.getActorUri(room.host_id);
			const send = async (object: ApEvent | ReturnType<typeof liveNote>, kind: 'create' | 'ended') => {
				const id = new URL(`${object.id?.href}#${kind}`);
				const values = { id, actor, object, tos: object.toIds, ccs: object.ccIds };
				await toFollowers(room.host_id, kind === 'create' ? new Create(values) : new Update(values));
			};
			if (event === 'room.scheduled' && room.scheduled_for) {
				await send(roomEvent(ctx, publicUrl, room), 'create');
			} else if (event === 'room.started') {
				await send(liveNote(ctx, publicUrl, room), 'create');
			} else if (event === 'room.ended') {
				if (room.started_at) {
					await send(liveNote(ctx, publicUrl, room), 'ended');
				}
				if (room.scheduled_for) {
					await send(roomEvent(ctx, publicUrl, room), 'ended');
				}
			}
		},

		/** A public scheduled room's title, description or time changed: its Event is sent again (Update). */
		async roomEdited(room: RoomSnapshot): Promise<void> {
			try {
				if (room.visibility !== 'public' || room.state !== 'scheduled' || !room.scheduled_for) {
					return;
				}
				if (!(await repo.actor(room.host_id))) {
					return;
				}
				const ctx = context();
				const event = roomEvent(ctx, publicUrl, room);
				await toFollowers(
					room.host_id,
					new Update({
						// Each edit is an activity of its own (inboxes drop an id they have seen).
						id: new URL(`${event.id?.href}#edit-${randomUUID()}`),
						actor: ctx.getActorUri(room.host_id),
						object: event,
						tos: event.toIds,
						ccs: event.ccIds,
					})
				);
			} catch (error) {
				log.error({ err: error, roomId: room.id }, 'federation.roomEdited() | not sent');
			}
		},

		/**
		 * `userId` is deleting their account: while their actor and keys still exist, their fediverse
		 * followers get a Delete of the actor (the recipients and keys go into the queued deliveries now),
		 * so servers drop the account and what it posted (account deletion then removes the rows). A failed
		 * send is logged: the account is deleted all the same.
		 */
		async accountDeleting(userId: string, requestLog: FastifyBaseLogger = log): Promise<void> {
			try {
				if (await repo.actor(userId)) {
					const ctx = context();
					const self = ctx.getActorUri(userId);
					await toFollowers(
						userId,
						new Delete({
							id: new URL('#delete', self),
							actor: self,
							object: self,
							to: PUBLIC_COLLECTION,
							cc: ctx.getFollowersUri(userId),
						})
					);
				}
			} catch (error) {
				requestLog.error({ err: error, userId }, 'federation.accountDeleting() | Delete not sent');
			}
		},

		/**
		 * Retracts what followers got of a room that was public and no longer is (cancelled, or made
		 * private or unlisted): a Delete (Tombstone) of its Event and of its "live now" Note. A failure is
		 * logged, not thrown: the change is committed and the caller answers.
		 */
		async roomWithdrawn(
			room: Pick<RoomRow, 'id' | 'host_id' | 'scheduled_for' | 'started_at'>
		): Promise<void> {
			try {
				if (!(await repo.actor(room.host_id))) {
					return;
				}
				const ctx = context();
				const published = [
					room.scheduled_for ? ctx.getObjectUri(ApEvent, { id: room.id }) : null,
					room.started_at ? ctx.getObjectUri(Note, { id: room.id }) : null,
				];
				for (const objectId of published) {
					if (objectId) {
						await toFollowers(
							room.host_id,
							new Delete({
								id: new URL(`${objectId.href}#delete`),
								actor: ctx.getActorUri(room.host_id),
								object: new Tombstone({ id: objectId }),
								to: PUBLIC_COLLECTION,
								cc: ctx.getFollowersUri(room.host_id),
							})
						);
					}
				}
			} catch (error) {
				log.error({ err: error, roomId: room.id }, 'federation.roomWithdrawn() | not sent');
			}
		},
	};
}

/** What {@link createFederationService} returns. */
export type FederationService = ReturnType<typeof createFederationService>;

/**
 * Decorates the app with `federation` (null unless `opts.federation` is set): builds the Fedify app,
 * listens to room events, and runs the delivery queue while the app is up.
 */
export default fp(
	async function federationPlugin(app: FastifyInstance, opts: ApiOptions) {
		if (!opts.federation) {
			app.decorate('federation', null);

			return;
		}
		const repo = createFederationRepository(app.db);
		const federation = createFedifyApp(app, opts.federation, repo, app.log);
		const service = createFederationService(federation, opts.federation, repo, app.log);
		app.decorate('federation', service);
		app.webhooks.onRoomEvent((event, room) => service.roomChanged(event, room));

		const stop = new AbortController();
		app.addHook('onReady', async () => {
			federation
				.startQueue(undefined, { signal: stop.signal })
				.catch((error: unknown) => app.log.error({ err: error }, 'federation | queue stopped'));
		});
		app.addHook('onClose', async () => {
			stop.abort();
		});
	},
	{ name: 'federation', dependencies: ['db', 'webhooks'] }
);
