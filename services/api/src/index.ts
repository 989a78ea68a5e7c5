/** @majlis/api: the Rooms API as a factory (see server.ts for the standalone process). */
export { BODY_LIMIT, buildServer } from './build-server.js';
export { type ApiConfig, loadApiConfig } from './config.js';
export type { ApiOptions } from './options.js';
export { parseCorsOrigins, parseTrustProxy, type TrustProxy } from './env-values.js';
export { type AbuseLimits, DEFAULT_LIMITS, LIMIT_VARIABLES, parseLimits } from './limits.js';
export { loadWebPushConfig, type WebPushConfig } from './web-push-config.js';
