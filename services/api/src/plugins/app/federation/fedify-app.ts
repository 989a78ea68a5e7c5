import {
	createFederation,
	exportJwk,
	type Federation,
	generateCryptoKeyPair,
	importJwk,
} from '@fedify/fedify';
import { Event as ApEvent, Endpoints, Image, Note, Person } from '@fedify/vocab';
import { avatarUrl } from '@majlis/protocol';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { StoredKeyPair } from '../../../db/schema.js';
import { escapeHtml } from '../../../share-pages.js';
import { loadRoomSnapshot, type RoomSnapshot } from '../rooms/room-snapshot.js';
import type { FederationRepository } from './federation-repository.js';
import type { FederationSettings } from './federation-settings.js';
import { registerInboxListeners } from './inbox-listeners.js';
import { PostgresKvStore } from './kv-store.js';
import { PostgresMessageQueue } from './message-queue.js';
import { liveNote, roomEvent, toInstant } from './room-objects.js';

/** Actor identifiers are user ids; anything else in the path is not ours. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** New key pairs for an actor, as JWKs: RSA for HTTP Signatures (Mastodon), Ed25519 for object proofs. */
export async function makeKeyPairs(): Promise<StoredKeyPair[]> {
	const pairs: StoredKeyPair[] = [];
	for (const algorithm of ['RSASSA-PKCS1-v1_5', 'Ed25519'] as const) {
		const pair = await generateCryptoKeyPair(algorithm);
		pairs.push({ privateKey: await exportJwk(pair.privateKey), publicKey: await exportJwk(pair.publicKey) });
	}

	return pairs;
}

/**
 * Fedify's federation for this deployment: users who share to the fediverse are `Person` actors at
 * `/ap/users/{id}` (found by WebFinger as `@handle@domain`), their public rooms are objects at
 * `/ap/rooms/{id}` (the Event) and `/ap/rooms/{id}/live` (the "live now" Note), and their followers
 * collection shows its size only. Deliveries go through a queue in Postgres
 * (message-queue.ts) with Fedify's retries.
 */
export function createFedifyApp(
	app: FastifyInstance,
	settings: FederationSettings,
	repo: FederationRepository,
	log: FastifyBaseLogger
): Federation<void> {
	const { publicUrl } = settings;
	const federation = createFederation<void>({
		kv: new PostgresKvStore(app.db),
		queue: new PostgresMessageQueue(app.db, log),
		manuallyStartQueue: true,
		origin: publicUrl,
		allowPrivateAddress: settings.allowPrivate,
		userAgent: { software: 'Majlis/0.1.0', url: new URL(publicUrl) },
		onOutboxError: (error, activity) => {
			log.warn({ err: error, activity: activity?.id?.href }, 'federation | delivery failed');
		},
	});

	/** A room others may see through federation: public, of a host who shares. */
	async function federatedRoom(id: string): Promise<RoomSnapshot | undefined> {
		if (!UUID.test(id)) {
			return undefined;
		}
		const room = await loadRoomSnapshot(app.db, id);
		if (room?.visibility !== 'public' || !(await repo.actor(room.host_id))) {
			return undefined;
		}

		return room;
	}

	federation
		.setActorDispatcher('/ap/users/{identifier}', async (ctx, identifier) => {
			const actor = UUID.test(identifier) ? await repo.actor(identifier) : undefined;
			if (!actor) {
				return null;
			}
			const keys = await ctx.getActorKeyPairs(identifier);
			const avatar = avatarUrl(actor.handle, actor.avatar);

			return new Person({
				id: ctx.getActorUri(identifier),
				preferredUsername: actor.handle,
				name: actor.displayName,
				summary: actor.bio.trim() === '' ? null : `<p>${escapeHtml(actor.bio)}</p>`,
				url: new URL(`/u/${encodeURIComponent(actor.handle)}`, publicUrl),
				icon: avatar ? new Image({ url: new URL(avatar, publicUrl) }) : null,
				published: toInstant(actor.createdAt),
				inbox: ctx.getInboxUri(identifier),
				endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
				followers: ctx.getFollowersUri(identifier),
				manuallyApprovesFollowers: false,
				discoverable: true,
				publicKey: keys[0]?.cryptographicKey ?? null,
				assertionMethods: keys.map((k) => k.multikey),
			});
		})
		.setKeyPairsDispatcher(async (_ctx, identifier) => {
			const actor = await repo.actor(identifier);

			return Promise.all(
				(actor?.keys ?? []).map(async (k) => ({
					privateKey: await importJwk(k.privateKey, 'private'),
					publicKey: await importJwk(k.publicKey, 'public'),
				}))
			);
		})
		.mapHandle((_ctx, username) => repo.userIdByHandle(username));

	federation
		.setFollowersDispatcher('/ap/users/{identifier}/followers', async (ctx, identifier) => {
			if (!UUID.test(identifier) || !(await repo.actor(identifier))) {
				return null;
			}
			// Served over HTTP the list stays hidden (its size shows, as Mastodon's "hide network");
			// deliveries to "followers" get everyone.
			if ('request' in ctx) {
				return { items: [] };
			}
			const followers = await repo.followers(identifier);

			return {
				items: followers.map((f) => ({
					id: new URL(f.actorIri),
					inboxId: new URL(f.inbox),
					endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
				})),
			};
		})
		.setCounter((_ctx, identifier) => (UUID.test(identifier) ? repo.followerCount(identifier) : null));

	federation.setObjectDispatcher(ApEvent, '/ap/rooms/{id}', async (ctx, { id }) => {
		const room = await federatedRoom(id);

		return room?.scheduled_for ? roomEvent(ctx, publicUrl, room) : null;
	});
	federation.setObjectDispatcher(Note, '/ap/rooms/{id}/live', async (ctx, { id }) => {
		const room = await federatedRoom(id);

		return room?.started_at ? liveNote(ctx, publicUrl, room) : null;
	});

	federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => ({
		software: { name: 'majlis', version: '0.1.0' },
		protocols: ['activitypub'],
		openRegistrations: true,
		usage: { users: { total: await repo.actorCount() }, localPosts: 0, localComments: 0 },
	}));

	registerInboxListeners(federation, repo, log);

	return federation;
}
