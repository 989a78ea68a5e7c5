import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
	type AbuseLimits,
	type FederationSettings,
	federationSettingsFromEnv,
	loadWebPushConfig,
	parseCorsOrigins,
	parseFrameAncestors,
	parseLimits,
	parseTrustProxy,
	parseTurn,
	type TrustProxy,
	type TurnSettings,
	type WebhookSettings,
	type WebPushConfig,
	webhookSettingsFromEnv,
} from '@majlis/api';
import { commaList, envInt, envPem, envReader, generateTicketKeys, type TokenKeys } from '@majlis/server-kit';
import type { SfuConfig } from '@majlis/sfu';
import { type Static, Type } from 'typebox';

const EnvSchema = Type.Object({
	PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	HOST: Type.Optional(Type.String({ minLength: 1 })),
	PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
	DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
	DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
	REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
	JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
	SFU_NODE_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
	MEDIASOUP_NUM_WORKERS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
	MEDIASOUP_LISTEN_IP: Type.Optional(Type.String()),
	MEDIASOUP_ANNOUNCED_ADDRESS: Type.Optional(Type.String()),
	RTC_MIN_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	RTC_MAX_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	HOST_GRACE_MS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
	REJOIN_GRACE_MS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
	WEB_DIST: Type.Optional(Type.String()),
	MAJLIS_ROLE: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('api')])),
	TRUST_PROXY: Type.Optional(Type.String()),
	CORS_ORIGINS: Type.Optional(Type.String()),
	METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
	MAJLIS_ADMINS: Type.Optional(Type.String()),
	CHAT_BLOCKED_WORDS: Type.Optional(Type.String()),
	SERVICE_SECRET: Type.Optional(Type.String({ minLength: 32 })),
	TICKET_PRIVATE_KEY: Type.Optional(Type.String({ pattern: 'BEGIN PRIVATE KEY' })),
	TICKET_PUBLIC_KEY: Type.Optional(Type.String({ pattern: 'BEGIN PUBLIC KEY' })),
	INTERNAL_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
	SFU_MAX_SOCKETS_PER_IP: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
	EMBED_FRAME_ANCESTORS: Type.Optional(Type.String()),
});
type Env = Static<typeof EnvSchema>;
const readEnv = envReader(EnvSchema);

/** Everything the single-process server needs, resolved from the environment. */
export interface MajlisConfig {
	/** `all`: API, web and SFU in this process; `api`: API and web only (SFU nodes run apart). */
	role: 'all' | 'api';
	/** HTTP port for API, web and WS signalling. */
	port: number;
	/** INTERNAL_PORT: the API's internal routes are served there, not on `port` (unset: on `port`). */
	internalPort: number | undefined;
	/** Interface to listen on. */
	host: string;
	/** Base URL people open in their browser; the WS URL derives from it. */
	publicUrl: string;
	/** Where embedded data (Postgres files, generated secret) lives. */
	dataDir: string;
	/** External Postgres, or undefined for the embedded one. */
	databaseUrl: string | undefined;
	/** External Redis, or undefined for the in-process bus. */
	redisUrl: string | undefined;
	/** HS256 secret of user tokens (and of tickets and service tokens when `tokenKeys` is undefined). */
	jwtSecret: string;
	/**
	 * Separated keys (Ed25519 tickets, a service secret of their own): generated in DATA_DIR in the
	 * embedded mode, from TICKET_PRIVATE_KEY, TICKET_PUBLIC_KEY and SERVICE_SECRET otherwise; undefined
	 * when those are not set (everything signed with JWT_SECRET, as SFU nodes configured that way expect).
	 */
	tokenKeys: (TokenKeys & { ticketPrivateKey: string }) | undefined;
	/** This process's SFU node id. */
	nodeId: string;
	/** Built web client folder. */
	webDist: string;
	/** Which X-Forwarded-For hops to believe (TRUST_PROXY: hop count or proxy CIDRs); false by default. */
	trustProxy: TrustProxy;
	/** Browser origins allowed by CORS besides the same origin (CORS_ORIGINS). */
	corsOrigins: string[];
	/** Sites that may frame the embeddable player (EMBED_FRAME_ANCESTORS, CSP sources; default any). */
	embedFrameAncestors: string[];
	/** Bearer token for the API's `GET /metrics` (unset: not exposed). */
	metricsToken: string | undefined;
	/** Handles of the deployment admins (MAJLIS_ADMINS, comma-separated). */
	adminHandles: string[];
	/** Abuse limits set in the environment (the rest keep the API's defaults). */
	limits: Partial<AbuseLimits>;
	/** TURN relays (TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS); undefined when not configured. */
	turn: TurnSettings | undefined;
	/** Webhook delivery settings set in the environment (WEBHOOKS_ALLOW_PRIVATE, WEBHOOK_RETRY_BASE_MS). */
	webhooks: Partial<WebhookSettings>;
	/** ActivityPub federation (FEDERATION=on, FEDERATION_ALLOW_PRIVATE; the domain is PUBLIC_URL's); undefined: off. */
	federation: FederationSettings | undefined;
	/** Web Push's VAPID keys (VAPID_*, or generated in DATA_DIR when embedded); undefined: off. */
	webPush: WebPushConfig | undefined;
	/** The SFU settings read from the same variables as a standalone node's (see {@link SfuConfig}). */
	sfu: Pick<
		SfuConfig,
		| 'numWorkers'
		| 'listenIp'
		| 'announcedAddress'
		| 'rtcMinPort'
		| 'rtcMaxPort'
		| 'hostGraceMs'
		| 'rejoinGraceMs'
		| 'chatBlockedWords'
		| 'maxSocketsPerIp'
	>;
}

// In the embedded mode nobody should have to invent a secret, but tokens must survive restarts:
// generate one once and keep it with the data. Anywhere else a configured secret is required.
async function embeddedSecret(dataDir: string): Promise<string> {
	const file = join(dataDir, 'jwt-secret');
	try {
		return (await readFile(file, 'utf8')).trim();
	} catch {
		const secret = randomBytes(48).toString('base64url');
		await mkdir(dataDir, { recursive: true });
		await writeFile(file, secret, { mode: 0o600 });

		return secret;
	}
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
	try {
		return (await readFile(file, 'utf8')).trim();
	} catch {
		const value = create();
		await writeFile(file, value, { mode: 0o600 });

		return value.trim();
	}
}

// The embedded mode's separated keys, made once and kept with the data like the JWT secret.
async function embeddedKeys(dataDir: string): Promise<TokenKeys & { ticketPrivateKey: string }> {
	await mkdir(dataDir, { recursive: true });
	let pair: { privateKey: string; publicKey: string } | undefined;
	const generated = () => {
		pair ??= generateTicketKeys();

		return pair;
	};
	const ticketPrivateKey = await readOrCreate(join(dataDir, 'ticket-key.pem'), () => generated().privateKey);
	const ticketPublicKey = await readOrCreate(
		join(dataDir, 'ticket-key.pub.pem'),
		() => generated().publicKey
	);
	const serviceSecret = await readOrCreate(join(dataDir, 'service-secret'), () =>
		randomBytes(48).toString('base64url')
	);

	return { ticketPrivateKey, ticketPublicKey, serviceSecret };
}

function configuredKeys(env: Env): (TokenKeys & { ticketPrivateKey: string }) | undefined {
	const set = [env.TICKET_PRIVATE_KEY, env.TICKET_PUBLIC_KEY, env.SERVICE_SECRET].filter(
		(v) => v !== undefined
	);
	if (set.length === 0) {
		return undefined;
	}
	if (set.length < 3) {
		throw new TypeError(
			'invalid environment: TICKET_PRIVATE_KEY, TICKET_PUBLIC_KEY and SERVICE_SECRET go together'
		);
	}
	if (env.SERVICE_SECRET === env.JWT_SECRET) {
		throw new TypeError('invalid environment: SERVICE_SECRET must differ from JWT_SECRET');
	}

	return {
		ticketPrivateKey: envPem(env.TICKET_PRIVATE_KEY!),
		ticketPublicKey: envPem(env.TICKET_PUBLIC_KEY!),
		serviceSecret: env.SERVICE_SECRET!,
	};
}

/** Validates the environment and resolves defaults; throws a readable error naming the bad variable. */
export async function loadConfig(raw: NodeJS.ProcessEnv, repoRoot: string): Promise<MajlisConfig> {
	const env = readEnv(raw);
	const port = envInt(env.PORT) ?? 8080;
	const dataDir = resolve(repoRoot, env.DATA_DIR ?? '.majlis');
	const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
	const embedded = !env.DATABASE_URL && !env.REDIS_URL;
	if (!env.JWT_SECRET && !embedded) {
		throw new TypeError(
			'invalid environment: JWT_SECRET (at least 32 characters) is required with DATABASE_URL or REDIS_URL'
		);
	}

	return {
		role: env.MAJLIS_ROLE ?? 'all',
		port,
		internalPort: envInt(env.INTERNAL_PORT),
		host: env.HOST ?? '0.0.0.0',
		publicUrl,
		dataDir,
		databaseUrl: env.DATABASE_URL,
		redisUrl: env.REDIS_URL,
		jwtSecret: env.JWT_SECRET ?? (await embeddedSecret(dataDir)),
		tokenKeys: embedded && !env.SERVICE_SECRET ? await embeddedKeys(dataDir) : configuredKeys(env),
		nodeId: env.SFU_NODE_ID ?? 'embedded',
		webDist: resolve(repoRoot, env.WEB_DIST ?? 'web/dist'),
		trustProxy: parseTrustProxy(env.TRUST_PROXY),
		corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
		embedFrameAncestors: parseFrameAncestors(env.EMBED_FRAME_ANCESTORS),
		metricsToken: env.METRICS_TOKEN,
		adminHandles: commaList(env.MAJLIS_ADMINS),
		limits: parseLimits(raw),
		turn: parseTurn(raw),
		webhooks: webhookSettingsFromEnv(raw),
		federation: federationSettingsFromEnv(raw, publicUrl),
		webPush: await loadWebPushConfig(raw, embedded ? dataDir : undefined),
		sfu: {
			numWorkers: envInt(env.MEDIASOUP_NUM_WORKERS),
			listenIp: env.MEDIASOUP_LISTEN_IP,
			announcedAddress: env.MEDIASOUP_ANNOUNCED_ADDRESS,
			rtcMinPort: envInt(env.RTC_MIN_PORT),
			rtcMaxPort: envInt(env.RTC_MAX_PORT),
			hostGraceMs: envInt(env.HOST_GRACE_MS),
			rejoinGraceMs: envInt(env.REJOIN_GRACE_MS),
			maxSocketsPerIp: envInt(env.SFU_MAX_SOCKETS_PER_IP),
			chatBlockedWords: commaList(env.CHAT_BLOCKED_WORDS),
		},
	};
}
