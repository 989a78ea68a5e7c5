// Abuse limits: how much one account or one address may do. Every value has a default that suits a
// small community server and an environment variable (read by the API and the launcher alike).

/** Limits the API enforces besides the per-route request rates. */
export interface AbuseLimits {
	/** Live rooms one host may have at a time (starting another gets 409 `limit_reached`). */
	liveRoomsPerUser: number;
	/** Scheduled (not yet started) rooms one host may have (creating another gets 409 `limit_reached`). */
	scheduledRoomsPerUser: number;
	/** Failed log-ins for one handle (from any address) before it is throttled. */
	loginFailuresPerHandle: number;
	/** Window (seconds) over which a handle's failed log-ins count; after it the handle is free again. */
	loginWindowSeconds: number;
	/** Longest wait (seconds) a throttled handle is given; waits double per failure up to this. */
	loginMaxDelaySeconds: number;
	/** A live room nobody is connected to (never opened, or left empty) ends after this long (ms). */
	idleLiveRoomMs: number;
	/** How often the API looks for idle live rooms (ms). */
	sweepIntervalMs: number;
	/** Requests one API token may make per minute, over all routes (integrations). */
	apiTokenRequestsPerMinute: number;
}

/** The defaults of {@link AbuseLimits}. */
export const DEFAULT_LIMITS: AbuseLimits = {
	liveRoomsPerUser: 1,
	scheduledRoomsPerUser: 20,
	loginFailuresPerHandle: 10,
	loginWindowSeconds: 15 * 60,
	loginMaxDelaySeconds: 15 * 60,
	idleLiveRoomMs: 10 * 60_000,
	sweepIntervalMs: 30_000,
	apiTokenRequestsPerMinute: 300,
};

/** Environment variable of each limit. */
export const LIMIT_VARIABLES: Record<keyof AbuseLimits, string> = {
	liveRoomsPerUser: 'LIMIT_LIVE_ROOMS_PER_USER',
	scheduledRoomsPerUser: 'LIMIT_SCHEDULED_ROOMS_PER_USER',
	loginFailuresPerHandle: 'LOGIN_FAILURES_PER_HANDLE',
	loginWindowSeconds: 'LOGIN_WINDOW_SECONDS',
	loginMaxDelaySeconds: 'LOGIN_MAX_DELAY_SECONDS',
	idleLiveRoomMs: 'IDLE_LIVE_ROOM_MS',
	sweepIntervalMs: 'IDLE_SWEEP_INTERVAL_MS',
	apiTokenRequestsPerMinute: 'API_TOKEN_RATE_LIMIT',
};

/** Reads the limits set in `env` (unset ones keep their defaults); throws a TypeError naming a bad one. */
export function parseLimits(env: NodeJS.ProcessEnv): Partial<AbuseLimits> {
	const limits: Partial<AbuseLimits> = {};
	for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as [keyof AbuseLimits, string][]) {
		const raw = env[variable];
		if (raw === undefined || raw === '') {
			continue;
		}
		if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) < 1) {
			throw new TypeError(`invalid environment: ${variable} must be a positive integer`);
		}
		limits[key] = Number(raw);
	}

	return limits;
}
