import { randomUUID } from 'node:crypto';
import type { Federation, InboxContext } from '@fedify/fedify';
import { Accept, Event as ApEvent, Create, Delete, Follow, isActor, Note, Undo, Update } from '@fedify/vocab';
import type { FastifyBaseLogger } from 'fastify';
import type { FederationRepository, PostValues } from './federation-repository.js';

/** Longest text kept of a received post (characters); the rest is cut. */
const MAX_TEXT = 5000;

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	'#39': "'",
};

/** Plain text of a post's HTML: paragraphs and breaks become new lines, markup goes (it is shown as text). */
export function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>\s*/gi, '\n\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
		.replace(/\n{3,}/g, '\n\n')
		.trim()
		.slice(0, MAX_TEXT);
}

function toDate(instant: { epochMilliseconds: number } | null): Date | null {
	return instant === null ? null : new Date(instant.epochMilliseconds);
}

/**
 * A received Note or Event as a `federation_posts` row, when `actorIri` wrote it and it lives on the
 * actor's own server (so nobody can take the id of another server's post).
 */
function toPost(object: Note | ApEvent, actorIri: string): PostValues | undefined {
	if (
		object.id === null ||
		object.attributionId?.href !== actorIri ||
		object.id.origin !== new URL(actorIri).origin
	) {
		return undefined;
	}
	const url = object.url;

	return {
		object_iri: object.id.href,
		actor_iri: actorIri,
		kind: object instanceof ApEvent ? 'event' : 'note',
		name: htmlToText(object.name?.toString() ?? '').slice(0, 300),
		content: htmlToText(object.content?.toString() ?? ''),
		url: url instanceof URL ? url.href : (url?.href?.href ?? null),
		starts_at: toDate(object.startTime),
		ends_at: toDate(object.endTime),
	};
}

/**
 * What this server does with activities sent to its users' inboxes (Fedify has checked the signatures):
 * a Follow of a sharing user is recorded and accepted, Undo forgets it; Accept confirms a follow of ours;
 * Create, Update and Delete of Notes and Events keep the rooms of followed accounts.
 */
export function registerInboxListeners(
	federation: Federation<void>,
	repo: FederationRepository,
	log: FastifyBaseLogger
): void {
	async function keepPost(ctx: InboxContext<void>, activity: Create | Update): Promise<void> {
		const actorIri = activity.actorId?.href;
		if (!actorIri || !(await repo.isFollowed(actorIri))) {
			return;
		}
		const object = await activity.getObject(ctx);
		if (!(object instanceof Note || object instanceof ApEvent)) {
			return;
		}
		const post = toPost(object, actorIri);
		if (post) {
			await repo.savePost(post);
		}
	}

	federation
		.setInboxListeners('/ap/users/{identifier}/inbox', '/ap/inbox')
		.on(Follow, async (ctx, follow) => {
			const target = follow.objectId && ctx.parseUri(follow.objectId);
			if (!follow.id || !target || target.type !== 'actor' || !(await repo.actor(target.identifier))) {
				return;
			}
			const follower = await follow.getActor(ctx);
			if (!isActor(follower) || follower.id === null || follower.inboxId === null) {
				return;
			}
			await repo.addFollower(target.identifier, {
				actorIri: follower.id.href,
				inbox: follower.inboxId.href,
				sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
			});
			const self = ctx.getActorUri(target.identifier);
			await ctx.sendActivity(
				{ identifier: target.identifier },
				follower,
				new Accept({ id: new URL(`#accepts/${randomUUID()}`, self), actor: self, object: follow })
			);
			log.info({ follower: follower.id.href, userId: target.identifier }, 'federation | new follower');
		})
		.on(Undo, async (ctx, undo) => {
			const object = await undo.getObject(ctx);
			if (!(object instanceof Follow) || !undo.actorId || object.actorId?.href !== undo.actorId.href) {
				return;
			}
			const target = object.objectId && ctx.parseUri(object.objectId);
			if (target && target.type === 'actor') {
				await repo.removeFollower(target.identifier, undo.actorId.href);
			}
		})
		.on(Accept, async (_ctx, accept) => {
			if (accept.actorId && accept.objectId) {
				await repo.acceptFollowing(accept.actorId.href, accept.objectId.href);
			}
		})
		.on(Create, keepPost)
		.on(Update, keepPost)
		.on(Delete, async (_ctx, del) => {
			if (!del.actorId || !del.objectId) {
				return;
			}
			if (del.objectId.href === del.actorId.href) {
				// The account deleted itself (signed by its own key): its rooms and our follows of it go.
				await repo.forgetRemoteActor(del.actorId.href);
			} else {
				await repo.deletePost(del.objectId.href, del.actorId.href);
			}
		})
		.onError((_ctx, error) => {
			log.warn({ err: error }, 'federation | inbox activity failed');
		});
}
