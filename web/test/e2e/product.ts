import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Room, User } from '@majlis/protocol';
import { loadConfig, type MajlisHandle, startMajlis } from '@majlis/server';
import {
	createLogger,
	createTestDatabase,
	createTokenService,
	type PostgresHandle,
	RedisBus,
} from '@majlis/server-kit';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** The built web client the product serves (`corepack pnpm --filter @majlis/web build`). */
export const WEB_DIST = join(repoRoot, 'web/dist');

/** A signed-up user and their Bearer token. */
export interface TestUser {
	/** The user as the API returns it. */
	user: User;
	/** Bearer token (also what the web client keeps in localStorage). */
	token: string;
}

/** Options of {@link startProduct}. */
export interface StartProductOptions {
	/**
	 * Redis logical database used when REDIS_URL is set. The SFU node registry is one global key, and
	 * other suites running at the same time heartbeat their own nodes (with other secrets) into database 0:
	 * a room placed on one of those could not be joined.
	 */
	redisDatabase?: number;
	/** More configuration, as environment variables (e.g. a short `HOST_GRACE_MS`); they win over the defaults. */
	env?: Record<string, string>;
}

/** The whole product running in this process, and REST helpers to set up what a test is not about. */
export interface Product {
	/** Base URL of API, web and signalling (http://localhost:port, the server's public URL). */
	readonly url: string;
	/** Calls the REST API; throws with the body when the status is not 2xx. */
	api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T>;
	/** Signs up a user through the API. */
	signUp(handle: string, displayName: string): Promise<TestUser>;
	/** Schedules a room as `host` (defaults: public, everyone may request to speak). */
	createRoom(host: TestUser, input: { title: string } & Record<string, unknown>): Promise<Room>;
	/** Schedules a room as `host` as {@link createRoom} does and starts it: it is live (the record as created). */
	startRoom(host: TestUser, input: { title: string } & Record<string, unknown>): Promise<Room>;
	/** A service token, to call the API's internal routes as an SFU node does (recording states, #13). */
	serviceToken(): Promise<string>;
	/** Stops the server and deletes its data. */
	close(): Promise<void>;
}

/** Password of every test user (the API wants at least 8 characters). */
export const PASSWORD = 'correct horse battery';

function withDatabase(redisUrl: string, database: number): string {
	const url = new URL(redisUrl);
	if (url.pathname === '' || url.pathname === '/' || url.pathname === '/0') {
		url.pathname = `/${database}`;
	}

	return url.toString();
}

/**
 * Request-rate and log-in counters live in Redis and outlive a file's server (each file is a new server
 * but the same address): every file starts with none, instead of inheriting the earlier files' sign-ups.
 */
async function clearAbuseCounters(redisUrl: string): Promise<void> {
	const bus = new RedisBus(redisUrl);
	try {
		for (const pattern of ['majlis:ratelimit:*', 'majlis:login:*']) {
			await bus.del(...(await bus.redis.keys(pattern)));
		}
	} finally {
		await bus.close();
	}
}

/**
 * Starts Majlis in-process with `startMajlis` on a random port and a temporary DATA_DIR, serving the
 * built web client. Embedded Postgres and bus by default; with DATABASE_URL a fresh database on that
 * server, with REDIS_URL that Redis (then a generated JWT_SECRET, as the configuration requires).
 */
export async function startProduct(options: StartProductOptions = {}): Promise<Product> {
	if (!existsSync(join(WEB_DIST, 'index.html'))) {
		throw new Error(
			`the browser tests serve the built web client, but ${WEB_DIST}/index.html is missing: ` +
				'build it first with `corepack pnpm --filter @majlis/web build` (`npm test` does it for you)'
		);
	}
	const dataDir = await mkdtemp(join(tmpdir(), 'majlis-e2e-'));
	const env: NodeJS.ProcessEnv = {
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		WEB_DIST,
		SFU_NODE_ID: `e2e-${randomBytes(4).toString('hex')}`,
		MEDIASOUP_NUM_WORKERS: '1',
		MEDIASOUP_LISTEN_IP: '127.0.0.1',
		MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1',
		// Suites have one host start several rooms; the default is one live room per host.
		LIMIT_LIVE_ROOMS_PER_USER: '100',
	};
	Object.assign(env, options.env);
	let database: PostgresHandle | undefined;
	let majlis: MajlisHandle | undefined;
	let config: Awaited<ReturnType<typeof loadConfig>> | undefined;
	try {
		if (process.env.DATABASE_URL) {
			database = await createTestDatabase(process.env.DATABASE_URL);
			env.DATABASE_URL = database.url;
		}
		if (process.env.REDIS_URL) {
			env.REDIS_URL = withDatabase(process.env.REDIS_URL, options.redisDatabase ?? 11);
			await clearAbuseCounters(env.REDIS_URL);
		}
		if (env.DATABASE_URL || env.REDIS_URL) {
			env.JWT_SECRET = randomBytes(48).toString('base64url');
		}
		config = await loadConfig(env, repoRoot);
		majlis = await startMajlis(config, createLogger('majlis', process.env.LOG_LEVEL ?? 'silent'));
	} catch (error) {
		await database?.stop();
		await rm(dataDir, { recursive: true, force: true });
		throw error;
	}
	// The URL people open: with PORT=0 the server derives its public URL (and the signalling URL it hands
	// out) as http://localhost:<port>, and the page's CSP only lets it connect to its own origin.
	const url = `http://localhost:${new URL(majlis.url).port}`;
	const started = majlis;
	const tokens = createTokenService(config!.tokenKeys ?? config!.jwtSecret);

	async function api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (token) {
			headers.authorization = `Bearer ${token}`;
		}
		if (body !== undefined) {
			headers['content-type'] = 'application/json';
		}
		const response = await fetch(`${url}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) {
			throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
		}

		return (text ? JSON.parse(text) : undefined) as T;
	}

	const createRoom: Product['createRoom'] = (host, input) =>
		api<Room>('POST', '/api/rooms', host.token, { visibility: 'public', ...input });
	let closing: Promise<void> | undefined;

	return {
		url,
		api,
		signUp(handle, displayName) {
			return api<TestUser>('POST', '/api/auth/signup', null, { handle, displayName, password: PASSWORD });
		},
		createRoom,
		async startRoom(host, input) {
			const room = await createRoom(host, input);
			await api('POST', `/api/rooms/${room.id}/start`, host.token);

			return room;
		},
		serviceToken() {
			return tokens.signServiceToken('sfu');
		},
		close() {
			closing ??= (async () => {
				await started.close();
				await database?.stop();
				await rm(dataDir, { recursive: true, force: true });
			})();

			return closing;
		},
	};
}

/** A handle no other test run uses (handles are unique per database, and runs may share one). */
export function uniqueHandle(base: string): string {
	return `${base}_${randomBytes(3).toString('hex')}`;
}
