/** @majlis/api: the Rooms API as a factory (see server.ts for the standalone process). */
export { BODY_LIMIT, buildServer } from './build-server.js';
export { type ApiConfig, type EnvApiOptions, envApiOptions, loadApiConfig } from './config.js';
// Embeddable player (#18): the one page other sites may frame.
export { type EmbedPageOptions, registerEmbedPage } from './embed-page.js';
export { parseCorsOrigins, parseFrameAncestors, parseTrustProxy, type TrustProxy } from './env-values.js';
export { type AbuseLimits, DEFAULT_LIMITS, LIMIT_VARIABLES, parseLimits } from './limits.js';
export type { ApiOptions } from './options.js';
export {
	type FederationSettings,
	federationSettingsFromEnv,
} from './plugins/app/federation/federation-settings.js';
export {
	type WebhookSettings,
	webhookSettingsFromEnv,
} from './plugins/app/integrations/webhook-settings.js';
// Share cards (#14): link previews of rooms and profiles in the web client's pages.
export { injectShareTags, registerSharePages, type SharePagesOptions } from './share-pages.js';
export { DEFAULT_TURN_TTL_SECONDS, parseTurn, type TurnSettings } from './turn.js';
export { loadWebPushConfig, type WebPushConfig } from './web-push-config.js';
