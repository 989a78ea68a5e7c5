import type { Bus, TokenKeys } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import type { TrustProxy } from './env-values.js';
import type { AbuseLimits } from './limits.js';
import type { TurnSettings } from './turn.js';
import type { S3StoreSettings } from './plugins/app/recordings/s3-recording-store.js';
import type { FederationSettings } from './plugins/app/federation/federation-settings.js';
import type { WebhookSettings } from './plugins/app/integrations/webhook-settings.js';
import type { WebPushConfig } from './web-push-config.js';

/** What {@link buildServer} needs; dependencies are injected so one process can embed API and SFU. */
export interface ApiOptions {
	/** postgres://… (migrations run on start). */
	databaseUrl: string;
	/** Live state and pub/sub shared with the SFU (RedisBus or MemoryBus). */
	bus: Bus;
	/** HS256 secret (≥ 32 bytes) of user tokens (and of tickets and service tokens without `tokenKeys`). */
	jwtSecret: string;
	/**
	 * Separated keys: tickets signed with the Ed25519 private key, service tokens with their own secret,
	 * so SFU nodes (holding the public key and the service secret) cannot mint user tokens or tickets.
	 */
	tokenKeys?: TokenKeys & { ticketPrivateKey: string };
	/** `false`/omitted: silent; `true`: Fastify's default pino; a pino logger instance; or pino options. */
	logger?: boolean | object;
	/** Abuse limits: request rates, the per-handle log-in throttle and room quotas; default true (tests turn them off). */
	rateLimits?: boolean;
	/** Browser origins allowed by CORS (exact match); none by default (same-origin only). */
	corsOrigins?: string[];
	/** Lifetime of user tokens (vercel/ms syntax, e.g. `7d`); default 7 days. */
	userTokenTtl?: string;
	/** Trust X-Forwarded-* (hop count or proxy CIDRs, as Fastify's `trustProxy`), so rate limits see client IPs; default false. */
	trustProxy?: TrustProxy;
	/** Per-user and per-handle limits; each defaults to {@link DEFAULT_LIMITS}. */
	limits?: Partial<AbuseLimits>;
	/** Bearer token `GET /metrics` requires; without one `/metrics` answers 404 (not exposed). */
	metricsToken?: string;
	/** Where recording files are stored; default `recordings` under DATA_DIR (`.majlis`). */
	recordingDir?: string;
	/** S3-compatible storage of recording files instead of `recordingDir`; default from RECORDINGS_S3_* (unset: files). */
	recordingS3?: S3StoreSettings;
	/** Handles of the deployment's admins (global report queue, suspensions); MAJLIS_ADMINS. Default none. */
	adminHandles?: readonly string[];
	/**
	 * A second port for `/api/internal/*` (the routes SFU nodes call), which the public port then answers
	 * 404; for deployments where API and SFU run apart. Unset: internal routes stay on the one port.
	 */
	internalPort?: number | undefined;
	/** Interface of the internal port; default `0.0.0.0` (keep the port itself off the internet). */
	internalHost?: string | undefined;
	/** TURN relays handed out (with short-lived credentials) in each join reply; none by default. */
	turn?: TurnSettings;
	/** Webhook delivery settings (WEBHOOKS_ALLOW_PRIVATE, WEBHOOK_RETRY_BASE_MS; tests shorten the retries). */
	webhooks?: Partial<WebhookSettings>;
	/** Where avatar images are stored; default `avatars` under DATA_DIR (`.majlis`). Shared by every API node. */
	avatarDir?: string;
	/** Web Push's VAPID identity and endpoint rule (see loadWebPushConfig); Web Push is off without it. */
	webPush?: WebPushConfig | undefined;
	/** Extra CA (PEM) push endpoints' certificates may chain to: tests run their own HTTPS push service. */
	webPushCa?: string;
	/** ActivityPub federation (FEDERATION=on, with PUBLIC_URL); off when unset. */
	federation?: FederationSettings | undefined;
	/** Registers more routes on the app before it is ready (the embedded server serves the web client). */
	extend?: (app: FastifyInstance) => Promise<void>;
}
