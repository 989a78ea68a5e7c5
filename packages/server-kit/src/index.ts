/** @majlis/server-kit: what the API and SFU processes share (bus, tokens, logging). */
export type { Bus, BusHandler } from './Bus.js';
export { commaList } from './commaList.js';
// TURN: a real coturn for tests (the relay browser test, the credential test).
export { type Coturn, hasCoturn, startCoturn, TURNSERVER_PATH } from './coturn.js';
export { type BusSigning, clusterSecret, createBus, redisOf } from './createBus.js';
export { envInt, envPem, envReader } from './env.js';
export { freePort } from './freePort.js';
export { createLogger, type Logger, REDACT_PATHS } from './logger.js';
export { MemoryBus } from './MemoryBus.js';
export { createTestDatabase, type PostgresHandle, startEmbeddedPostgres } from './postgres.js';
export { RedisBus } from './RedisBus.js';
export { type RedisServer, startRedisServer } from './redisServer.js';
export {
	BUS_MESSAGE_MAX_AGE_MS,
	type BusRejection,
	type BusRejectionHandler,
	deriveBusKey,
	logBusRejections,
	SignedBus,
} from './SignedBus.js';
export {
	isPrivateAddress,
	type PinnedAddress,
	pinnedLookup,
	resolvePinned,
	UnsafeAddressError,
} from './safeAddress.js';
export {
	createTokenService,
	generateTicketKeys,
	TokenError,
	type TokenKeys,
	type TokenService,
} from './tokens.js';
export { clientAddress, parseTrustProxy, type TrustProxy, trustFunction } from './trustProxy.js';
// Webhooks: an endpoint that keeps what it receives, and a receiver's signature check (tests).
export {
	type ReceivedWebhook,
	startWebhookReceiver,
	type WebhookReceiver,
	webhookSigned,
} from './webhookReceiver.js';
