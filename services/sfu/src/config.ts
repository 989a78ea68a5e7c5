import { hostname } from 'node:os';
import {
	commaList,
	envInt,
	envPem,
	envReader,
	parseTrustProxy,
	type TokenKeys,
	type TrustProxy,
} from '@majlis/server-kit';
import { type Static, Type } from 'typebox';

const Port = Type.String({ pattern: '^[0-9]{1,5}$' });
const Count = Type.String({ pattern: '^[0-9]+$' });

/** The environment of a standalone SFU node (all strings, as the environment gives them). */
const EnvSchema = Type.Object({
	SFU_NODE_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
	SFU_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^wss?://' })),
	PORT: Type.Optional(Port),
	HOST: Type.Optional(Type.String({ minLength: 1 })),
	API_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
	REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
	JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
	TICKET_PUBLIC_KEY: Type.Optional(Type.String({ pattern: 'BEGIN PUBLIC KEY' })),
	SERVICE_SECRET: Type.Optional(Type.String({ minLength: 32 })),
	MEDIASOUP_NUM_WORKERS: Type.Optional(Count),
	MEDIASOUP_LISTEN_IP: Type.Optional(Type.String({ minLength: 1 })),
	MEDIASOUP_ANNOUNCED_ADDRESS: Type.Optional(Type.String({ minLength: 1 })),
	RTC_MIN_PORT: Type.Optional(Port),
	RTC_MAX_PORT: Type.Optional(Port),
	HOST_GRACE_MS: Type.Optional(Count),
	REJOIN_GRACE_MS: Type.Optional(Count),
	MEDIASOUP_MAX_CONSUMERS_PER_WORKER: Type.Optional(Count),
	SFU_ALLOW_PLAIN_TRANSPORTS: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
	SFU_CAPACITY: Type.Optional(Count),
	CHAT_BLOCKED_WORDS: Type.Optional(Type.String()),
	SFU_MAX_SOCKETS_PER_IP: Type.Optional(Count),
	TRUST_PROXY: Type.Optional(Type.String()),
	// Recording (#13): where captures are written while they run (kept across restarts).
	RECORDING_DIR: Type.Optional(Type.String({ minLength: 1 })),
	LOG_LEVEL: Type.Optional(
		Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))
	),
});
type Env = Static<typeof EnvSchema>;
const readEnv = envReader(EnvSchema);

/** A standalone SFU node's settings, resolved from the environment. */
export interface SfuConfig {
	/** This node's id in the registry. */
	nodeId: string;
	/** WS URL clients use to reach this node. */
	publicUrl: string;
	/** HTTP port (signalling, /health, /metrics). */
	port: number;
	/** Interface to listen on. */
	host: string;
	/** API base URL for internal calls. */
	apiUrl: string;
	/** Redis; undefined runs with an in-process bus (a single-node experiment, not a deployment). */
	redisUrl: string | undefined;
	/**
	 * The ticket public key and service secret (separated keys: this node cannot mint user tokens), or the
	 * older HS256 secret shared with the API.
	 */
	jwtSecret: string | Omit<TokenKeys, 'ticketPrivateKey'>;
	/** pino level. */
	logLevel: string;
	/** mediasoup workers (undefined: one per core). */
	numWorkers: number | undefined;
	/** Address media transports bind to. */
	listenIp: string | undefined;
	/** Address put in ICE candidates. */
	announcedAddress: string | undefined;
	/** Lowest RTC port. */
	rtcMinPort: number | undefined;
	/** Highest RTC port. */
	rtcMaxPort: number | undefined;
	/** Host grace period. */
	hostGraceMs: number | undefined;
	/** How long a dropped stage member keeps their seat and mute state. */
	rejoinGraceMs: number | undefined;
	/** Consumers per worker before listeners go to edge routers on other workers. */
	maxConsumersPerWorker: number | undefined;
	/** Plain RTP transports for the load generator (never in production). */
	allowPlainTransports: boolean;
	/** Consumers the node accepts before the API places listeners on other nodes. */
	capacity: number | undefined;
	/** Words the chat refuses (CHAT_BLOCKED_WORDS, comma-separated). */
	chatBlockedWords: string[];
	/** Open sockets per client address (SFU_MAX_SOCKETS_PER_IP; 0: no cap; undefined: the default). */
	maxSocketsPerIp: number | undefined;
	/** Which X-Forwarded-For hops to believe for that address (TRUST_PROXY, as the API reads it). */
	trustProxy: TrustProxy;
	/** Where captures are written while they run (RECORDING_DIR); default under the OS temp folder. */
	recordingDir: string | undefined;
}

// With TICKET_PUBLIC_KEY and SERVICE_SECRET the node verifies tickets and calls the API without holding
// anything that signs a user token; JWT_SECRET alone is the older shared-secret setup.
function tokenKeys(env: Env): SfuConfig['jwtSecret'] {
	if (env.TICKET_PUBLIC_KEY !== undefined || env.SERVICE_SECRET !== undefined) {
		if (env.TICKET_PUBLIC_KEY === undefined || env.SERVICE_SECRET === undefined) {
			throw new TypeError('invalid environment: TICKET_PUBLIC_KEY and SERVICE_SECRET go together');
		}
		return { ticketPublicKey: envPem(env.TICKET_PUBLIC_KEY), serviceSecret: env.SERVICE_SECRET };
	}
	if (env.JWT_SECRET === undefined) {
		throw new TypeError(
			'invalid environment: JWT_SECRET, or TICKET_PUBLIC_KEY and SERVICE_SECRET, must be set'
		);
	}
	return env.JWT_SECRET;
}

/** Validates the environment once; throws a TypeError naming the bad variable. */
export function loadSfuConfig(raw: NodeJS.ProcessEnv): SfuConfig {
	const env = readEnv(raw);
	const port = envInt(env.PORT) ?? 4443;
	const rtcMinPort = envInt(env.RTC_MIN_PORT);
	const rtcMaxPort = envInt(env.RTC_MAX_PORT);
	for (const [name, value] of [
		['PORT', port],
		['RTC_MIN_PORT', rtcMinPort],
		['RTC_MAX_PORT', rtcMaxPort],
	] as const) {
		if (value !== undefined && (value < 1 || value > 65535)) {
			throw new TypeError(`invalid environment: ${name} must be a port (1–65535)`);
		}
	}
	if ((rtcMinPort ?? 40000) > (rtcMaxPort ?? 49999)) {
		throw new TypeError('invalid environment: RTC_MIN_PORT is above RTC_MAX_PORT');
	}
	const numWorkers = envInt(env.MEDIASOUP_NUM_WORKERS);
	if (numWorkers === 0) {
		throw new TypeError('invalid environment: MEDIASOUP_NUM_WORKERS must be at least 1');
	}

	return {
		nodeId: env.SFU_NODE_ID ?? hostname(),
		publicUrl: env.SFU_PUBLIC_URL ?? `ws://localhost:${port}/ws`,
		port,
		host: env.HOST ?? '0.0.0.0',
		apiUrl: (env.API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
		redisUrl: env.REDIS_URL,
		jwtSecret: tokenKeys(env),
		logLevel: env.LOG_LEVEL ?? 'info',
		numWorkers,
		listenIp: env.MEDIASOUP_LISTEN_IP,
		announcedAddress: env.MEDIASOUP_ANNOUNCED_ADDRESS,
		rtcMinPort,
		rtcMaxPort,
		hostGraceMs: envInt(env.HOST_GRACE_MS),
		rejoinGraceMs: envInt(env.REJOIN_GRACE_MS),
		maxConsumersPerWorker: envInt(env.MEDIASOUP_MAX_CONSUMERS_PER_WORKER),
		allowPlainTransports: env.SFU_ALLOW_PLAIN_TRANSPORTS === '1',
		capacity: envInt(env.SFU_CAPACITY),
		maxSocketsPerIp: envInt(env.SFU_MAX_SOCKETS_PER_IP),
		trustProxy: parseTrustProxy(env.TRUST_PROXY),
		chatBlockedWords: commaList(env.CHAT_BLOCKED_WORDS),
		recordingDir: env.RECORDING_DIR,
	};
}
