import { type Static, Type } from 'typebox';
import { IdSchema, UserSummarySchema } from './domain.js';
import { HandleSchema, lineSchema, USER_LIMITS } from './rest.js';

// Integrations (issue 18): personal API tokens, bot accounts and signed webhooks.

/** What an API token may do; each REST route names the one scope it needs (OpenAPI `x-token-scope`). */
export const API_SCOPES = ['read', 'rooms:schedule', 'rooms:manage', 'webhooks'] as const;
/** A scope of an API token. */
export const ApiScopeSchema = Type.Union([
	Type.Literal('read'),
	Type.Literal('rooms:schedule'),
	Type.Literal('rooms:manage'),
	Type.Literal('webhooks'),
]);
/** A scope of an API token. */
export type ApiScope = (typeof API_SCOPES)[number];

/** Every API token starts with this, so leaked ones are recognisable (secret scanners) and told from JWTs. */
export const API_TOKEN_PREFIX = 'mj_';

/** Length limits of integration names and URLs. */
export const INTEGRATION_LIMITS = {
	tokenName: { min: 1, max: 60 },
	webhookUrl: { max: 2000 },
} as const;

/** An API token as listed (its secret is never shown again after creation). */
export const ApiTokenSchema = Type.Object({
	id: IdSchema,
	name: Type.String(),
	scopes: Type.Array(ApiScopeSchema),
	/** The first characters of the token, to tell tokens apart. */
	prefix: Type.String(),
	/** The bot account the token acts as; null: the owner themself. */
	bot: Type.Union([UserSummarySchema, Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
	lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
/** An API token as listed. */
export type ApiToken = Static<typeof ApiTokenSchema>;

/** Reply of `POST /api/me/tokens`: the token itself, shown this once. */
export const CreatedApiTokenSchema = Type.Object({ token: Type.String(), apiToken: ApiTokenSchema });
/** Reply of `POST /api/me/tokens`. */
export type CreatedApiToken = Static<typeof CreatedApiTokenSchema>;

/** Body of `POST /api/me/tokens`. */
export const CreateApiTokenBodySchema = Type.Object(
	{
		name: lineSchema(INTEGRATION_LIMITS.tokenName.min, INTEGRATION_LIMITS.tokenName.max),
		scopes: Type.Array(ApiScopeSchema, { minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true }),
		/** A bot account of the caller the token acts as; omitted: the caller. */
		botId: Type.Optional(IdSchema),
	},
	{ additionalProperties: false }
);
/** Body of `POST /api/me/tokens`. */
export type CreateApiTokenBody = Static<typeof CreateApiTokenBodySchema>;

/** A list of API tokens. */
export const ApiTokenListSchema = Type.Object({ items: Type.Array(ApiTokenSchema) });

/** Body of `POST /api/me/bots`: a bot account owned by the caller (it cannot log in; its tokens act as it). */
export const CreateBotBodySchema = Type.Object(
	{ handle: HandleSchema, displayName: lineSchema(USER_LIMITS.displayName.min, USER_LIMITS.displayName.max) },
	{ additionalProperties: false }
);
/** Body of `POST /api/me/bots`. */
export type CreateBotBody = Static<typeof CreateBotBodySchema>;

/** The caller's bot accounts. */
export const BotListSchema = Type.Object({ items: Type.Array(UserSummarySchema) });

/** Events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
	'room.scheduled',
	'room.started',
	'room.ended',
	'recording.ready',
	'speaker.joined',
] as const;
/** An event a webhook can subscribe to. */
export const WebhookEventSchema = Type.Union([
	Type.Literal('room.scheduled'),
	Type.Literal('room.started'),
	Type.Literal('room.ended'),
	Type.Literal('recording.ready'),
	Type.Literal('speaker.joined'),
]);
/** An event a webhook can subscribe to (plus `ping`, the test event). */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A registered webhook endpoint. */
export const WebhookSchema = Type.Object({
	id: IdSchema,
	url: Type.String(),
	events: Type.Array(WebhookEventSchema),
	/** `own`: rooms the owner hosts; `all`: every room (deployment admins only). */
	scope: Type.Union([Type.Literal('own'), Type.Literal('all')]),
	createdAt: Type.String({ format: 'date-time' }),
});
/** A registered webhook endpoint. */
export type Webhook = Static<typeof WebhookSchema>;

/** Reply of `POST /api/me/webhooks`: the endpoint and its signing secret, shown this once. */
export const CreatedWebhookSchema = Type.Object({ secret: Type.String(), webhook: WebhookSchema });
/** Reply of `POST /api/me/webhooks`. */
export type CreatedWebhook = Static<typeof CreatedWebhookSchema>;

/** Body of `POST /api/me/webhooks`. */
export const CreateWebhookBodySchema = Type.Object(
	{
		url: Type.String({ minLength: 1, maxLength: INTEGRATION_LIMITS.webhookUrl.max }),
		events: Type.Array(WebhookEventSchema, {
			minItems: 1,
			maxItems: WEBHOOK_EVENTS.length,
			uniqueItems: true,
		}),
		scope: Type.Optional(Type.Union([Type.Literal('own'), Type.Literal('all')])),
	},
	{ additionalProperties: false }
);
/** Body of `POST /api/me/webhooks`. */
export type CreateWebhookBody = Static<typeof CreateWebhookBodySchema>;

/** A list of webhooks. */
export const WebhookListSchema = Type.Object({ items: Type.Array(WebhookSchema) });

/** One delivery of an event to an endpoint, with its last attempt. */
export const WebhookDeliverySchema = Type.Object({
	id: IdSchema,
	event: Type.String(),
	state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
	attempts: Type.Integer(),
	/** HTTP status of the last attempt; null: no answer (refused, timed out) or not tried yet. */
	lastStatus: Type.Union([Type.Integer(), Type.Null()]),
	/** How long the last attempt took (ms). */
	lastResponseMs: Type.Union([Type.Integer(), Type.Null()]),
	lastError: Type.Union([Type.String(), Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
	nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
/** One delivery of an event to an endpoint. */
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>;

/** The delivery log of a webhook, newest first. */
export const WebhookDeliveryListSchema = Type.Object({ items: Type.Array(WebhookDeliverySchema) });
