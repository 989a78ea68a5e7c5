/** @majlis/server-kit: what the API and SFU processes share (bus, tokens, logging). */
export type { Bus, BusHandler } from './Bus.js';
export { createBus } from './createBus.js';
export { createLogger, type Logger, REDACT_PATHS } from './logger.js';
export { MemoryBus } from './MemoryBus.js';
export { RedisBus } from './RedisBus.js';
export {
	createTokenService,
	generateTicketKeys,
	TokenError,
	type TokenKeys,
	type TokenService,
} from './tokens.js';
export { createTestDatabase, type PostgresHandle, startEmbeddedPostgres } from './postgres.js';
export {
	isPrivateAddress,
	type PinnedAddress,
	pinnedLookup,
	resolvePinned,
	UnsafeAddressError,
} from './safeAddress.js';
