import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	type FederationSettings,
	FederationSettingsSchema,
	FediverseFeedSchema,
	type FediverseFollow,
	FediverseFollowListSchema,
	FediverseFollowSchema,
	FollowFediverseBodySchema,
	UpdateFederationSettingsBodySchema,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, NotFoundError, UnauthorizedError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import type { FederationService } from '../../../../plugins/app/federation/federation.js';
import type { FollowingRow } from '../../../../plugins/app/federation/federation-repository.js';
import { RATE_LIMITS } from '../../../../plugins/external/rate-limit.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

const FollowParams = Type.Object({ followId: UuidSchema });
/** Most posts the feed shows. */
const FEED_SIZE = 50;

function toFollow(row: FollowingRow): FediverseFollow {
	return {
		id: row.id,
		address: row.address,
		name: row.name,
		actorUrl: row.actor_iri,
		accepted: row.accepted_at !== null,
		createdAt: row.created_at.toISOString(),
	};
}

/**
 * `/api/me/federation`: sharing one's public rooms to the fediverse (opt-in), following fediverse
 * accounts, and the rooms they sent. Everything but reading the setting needs FEDERATION=on (else 404).
 */
const federationRoute: FastifyPluginAsyncTypebox = async (app) => {
	function requireFederation(): FederationService {
		if (!app.federation) {
			throw new NotFoundError('federation (this server does not federate)');
		}

		return app.federation;
	}

	async function settingsOf(userId: string): Promise<FederationSettings> {
		const user = await app.usersRepository.findById(userId);
		if (!user) {
			throw new UnauthorizedError();
		}
		const { federation } = app;

		return {
			available: federation !== null,
			enabled: federation !== null && (await federation.repository.isEnabled(userId)),
			address: federation?.address(user.handle) ?? null,
		};
	}

	app.get(
		'',
		{
			schema: {
				tags: ['federation'],
				operationId: 'getFederationSettings',
				summary: 'Whether your public rooms are shared to the fediverse, and your fediverse address',
				security: [...Security.user],
				response: { 200: FederationSettingsSchema, ...CommonErrors },
			},
		},
		async (request) => settingsOf(requireUser(request))
	);

	app.put(
		'',
		{
			schema: {
				tags: ['federation'],
				operationId: 'updateFederationSettings',
				summary: 'Share your public rooms to the fediverse (or stop)',
				description:
					'On: you become `@handle@domain` on the fediverse; people there can follow you and see your ' +
					'public rooms scheduled, live and ended. Off: your account is no longer found there.',
				security: [...Security.user],
				body: UpdateFederationSettingsBodySchema,
				response: { 200: FederationSettingsSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			await requireFederation().setEnabled(userId, request.body.enabled);

			return settingsOf(userId);
		}
	);

	app.get(
		'/following',
		{
			schema: {
				tags: ['federation'],
				operationId: 'listFediverseFollows',
				summary: 'The fediverse accounts you follow',
				security: [...Security.user],
				response: { 200: FediverseFollowListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const rows = await requireFederation().repository.following(requireUser(request));

			return { items: rows.map(toFollow) };
		}
	);

	app.post(
		'/following',
		{
			config: { rateLimit: RATE_LIMITS.followFediverse },
			schema: {
				tags: ['federation'],
				operationId: 'followFediverse',
				summary: 'Follow a fediverse account (such as @someone@mastodon.social) to see its rooms',
				description:
					'The account is found through WebFinger and sent a signed Follow; it counts once the account ' +
					'accepts. Needs sharing on: the account must be able to see who follows it.',
				security: [...Security.user],
				body: FollowFediverseBodySchema,
				response: { 201: FediverseFollowSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const federation = requireFederation();
			if (!(await federation.repository.isEnabled(userId))) {
				throw new ConflictError('turn on sharing to the fediverse first', undefined, {
					address: 'needs sharing to the fediverse turned on',
				});
			}
			const row = await federation.follow(userId, request.body.address);
			reply.code(201);

			return toFollow(row);
		}
	);

	app.delete(
		'/following/:followId',
		{
			schema: {
				tags: ['federation'],
				operationId: 'unfollowFediverse',
				summary: 'Stop following a fediverse account',
				security: [...Security.user],
				params: FollowParams,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			if (!(await requireFederation().unfollow(requireUser(request), request.params.followId))) {
				throw new NotFoundError('follow');
			}
			reply.code(204);
		}
	);

	app.get(
		'/feed',
		{
			schema: {
				tags: ['federation'],
				operationId: 'getFediverseFeed',
				summary: 'Rooms the fediverse accounts you follow announced, newest first',
				security: [...Security.user],
				response: { 200: FediverseFeedSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const rows = await requireFederation().repository.feed(requireUser(request), FEED_SIZE);

			return {
				items: rows.map((r) => ({
					id: r.object_iri,
					kind: r.kind,
					name: r.name,
					content: r.content,
					url: r.url,
					startsAt: r.starts_at?.toISOString() ?? null,
					endsAt: r.ends_at?.toISOString() ?? null,
					author: { address: r.address, name: r.author_name },
					updatedAt: r.updated_at.toISOString(),
				})),
			};
		}
	);
};

export default federationRoute;
