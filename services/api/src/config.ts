import { commaList, envInt, envReader } from '@majlis/server-kit';
import { Type } from 'typebox';
import { parseCorsOrigins, parseTrustProxy, type TrustProxy } from './env-values.js';
import { type AbuseLimits, parseLimits } from './limits.js';
import type { ApiOptions } from './options.js';
import {
	type FederationSettings,
	federationSettingsFromEnv,
} from './plugins/app/federation/federation-settings.js';
import { type WebhookSettings, webhookSettingsFromEnv } from './plugins/app/integrations/webhook-settings.js';
import { parseTurn, type TurnSettings } from './turn.js';

const EnvSchema = Type.Object({
	PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	HOST: Type.Optional(Type.String({ minLength: 1 })),
	DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
	REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
	JWT_SECRET: Type.String({ minLength: 1 }),
	CORS_ORIGINS: Type.Optional(Type.String()),
	LOG_LEVEL: Type.Optional(
		Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))
	),
	TRUST_PROXY: Type.Optional(Type.String()),
	METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
	MAJLIS_ADMINS: Type.Optional(Type.String()),
	INTERNAL_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
});
const readEnv = envReader(EnvSchema);

/** The standalone API's settings, from the environment. */
export interface ApiConfig {
	port: number;
	host: string;
	databaseUrl: string;
	/** Undefined: in-process bus (no SFU can reach this API then). */
	redisUrl: string | undefined;
	jwtSecret: string;
	corsOrigins: string[];
	logLevel: string;
	/** See {@link parseTrustProxy}. */
	trustProxy: TrustProxy;
	/** Bearer token for `GET /metrics` (unset: not exposed). */
	metricsToken: string | undefined;
	/** Handles of the deployment admins (MAJLIS_ADMINS, comma-separated). */
	adminHandles: string[];
	/** Abuse limits set in the environment (the rest keep their defaults). */
	limits: Partial<AbuseLimits>;
	/** INTERNAL_PORT: where `/api/internal/*` is served instead of the public port (unset: the public port). */
	internalPort: number | undefined;
	/** TURN relays (TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS); undefined when not configured. */
	turn: TurnSettings | undefined;
	/** Webhook delivery settings set in the environment (WEBHOOKS_ALLOW_PRIVATE, WEBHOOK_RETRY_BASE_MS). */
	webhooks: Partial<WebhookSettings>;
	/** ActivityPub federation (FEDERATION=on with PUBLIC_URL; FEDERATION_ALLOW_PRIVATE); undefined: off. */
	federation: FederationSettings | undefined;
}

/** Validates the environment of `server.ts`; throws a TypeError naming the bad variable. */
export function loadApiConfig(raw: NodeJS.ProcessEnv): ApiConfig {
	const env = readEnv(raw);
	const secret = env.JWT_SECRET;
	if (Buffer.byteLength(secret) < 32) {
		throw new TypeError('invalid environment: JWT_SECRET must be at least 32 bytes');
	}
	const port = Number.parseInt(env.PORT ?? '8080', 10);
	if (port > 65535) {
		throw new TypeError('invalid environment: PORT must be at most 65535');
	}

	return {
		port,
		host: env.HOST ?? '0.0.0.0',
		databaseUrl: env.DATABASE_URL,
		redisUrl: env.REDIS_URL,
		jwtSecret: secret,
		corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
		logLevel: env.LOG_LEVEL ?? 'info',
		trustProxy: parseTrustProxy(env.TRUST_PROXY),
		metricsToken: env.METRICS_TOKEN,
		adminHandles: commaList(env.MAJLIS_ADMINS),
		limits: parseLimits(raw),
		internalPort: envInt(env.INTERNAL_PORT),
		turn: parseTurn(raw),
		webhooks: webhookSettingsFromEnv(raw),
		federation: federationSettingsFromEnv(raw, env.PUBLIC_URL),
	};
}

/** The settings both entries (server.ts and the all-in-one server) read from the environment and hand to the API as they are. */
export type EnvApiOptions = Pick<
	ApiOptions,
	| 'corsOrigins'
	| 'trustProxy'
	| 'metricsToken'
	| 'adminHandles'
	| 'limits'
	| 'internalPort'
	| 'turn'
	| 'webhooks'
	| 'federation'
>;

/** {@link EnvApiOptions} from a loaded config: one list, so a setting added here reaches the API from either entry. */
export function envApiOptions(config: EnvApiOptions): EnvApiOptions {
	return {
		corsOrigins: config.corsOrigins,
		trustProxy: config.trustProxy,
		metricsToken: config.metricsToken,
		adminHandles: config.adminHandles,
		limits: config.limits,
		internalPort: config.internalPort,
		turn: config.turn,
		webhooks: config.webhooks,
		federation: config.federation,
	};
}
