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
// TURN: a real coturn for tests (the relay browser test, the credential test).
export { type Coturn, hasCoturn, startCoturn, TURNSERVER_PATH } from './coturn.js';
