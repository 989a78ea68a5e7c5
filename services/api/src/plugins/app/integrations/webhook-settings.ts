/** How webhooks are delivered. */
export interface WebhookSettings {
	/**
	 * Allow endpoints on private and loopback addresses, and plain http (WEBHOOKS_ALLOW_PRIVATE=1). For
	 * development and tests only: in production it lets users make the server call its own network.
	 */
	allowPrivate: boolean;
	/** First retry delay (ms); each further one doubles, with jitter (WEBHOOK_RETRY_BASE_MS). */
	retryBaseMs: number;
	/** Longest delay between two attempts (ms). */
	retryMaxMs: number;
	/** An event is retried for this long after it happened, then marked failed (ms; a day). */
	maxAgeMs: number;
	/** How often each API node looks for due deliveries (ms). */
	pollMs: number;
	/** Time an attempt may take (ms). */
	timeoutMs: number;
}

/** The defaults of {@link WebhookSettings}. */
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
	allowPrivate: false,
	retryBaseMs: 30_000,
	retryMaxMs: 3_600_000,
	maxAgeMs: 24 * 3_600_000,
	pollMs: 2000,
	timeoutMs: 10_000,
};

/** The settings in `env` (WEBHOOKS_ALLOW_PRIVATE, WEBHOOK_RETRY_BASE_MS); throws a TypeError naming a bad one. */
export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv): Partial<WebhookSettings> {
	const settings: Partial<WebhookSettings> = {};
	const allow = env.WEBHOOKS_ALLOW_PRIVATE;
	if (allow !== undefined && allow !== '') {
		if (!['0', '1', 'true', 'false'].includes(allow)) {
			throw new TypeError('invalid environment: WEBHOOKS_ALLOW_PRIVATE must be 1 or 0');
		}
		settings.allowPrivate = allow === '1' || allow === 'true';
	}
	const base = env.WEBHOOK_RETRY_BASE_MS;
	if (base !== undefined && base !== '') {
		if (!/^[0-9]{1,9}$/.test(base) || Number(base) < 1) {
			throw new TypeError('invalid environment: WEBHOOK_RETRY_BASE_MS must be a positive integer');
		}
		settings.retryBaseMs = Number(base);
	}

	return settings;
}

/** Delay before attempt `attempt + 1` after `attempt` failed: doubling from the base, capped, half of it random. */
export function retryDelayMs(settings: WebhookSettings, attempt: number): number {
	const delay = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));

	// "Equal jitter": nodes retrying many failed deliveries at once spread out, and no wait is below half.
	return Math.round(delay / 2 + Math.random() * (delay / 2));
}
