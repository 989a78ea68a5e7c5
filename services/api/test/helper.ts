import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Room, SFU_HEARTBEAT_MS, SFU_NODES_KEY, type SfuNode, type User } from '@majlis/protocol';
import { type Bus, createBus, createTestDatabase, type PostgresHandle } from '@majlis/server-kit';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { type ApiOptions, buildServer } from '../src/index.js';

/** The secret every test app signs with. */
export const JWT_SECRET = 'majlis-test-secret-at-least-32-bytes-long';
/** The password of every user created by {@link signup}. */
export const PASSWORD = 'correct horse battery';

/** A test database, bus and app; `close()` releases all three. */
export interface Harness {
	readonly dbHandle: PostgresHandle;
	readonly bus: Bus;
	app: FastifyInstance;
	/** Builds another app on the same database and bus (the caller closes it). */
	build(options?: Partial<ApiOptions>): Promise<FastifyInstance>;
	close(): Promise<void>;
}

/**
 * A bus like the one the suite runs against: Redis when REDIS_URL is set, else in-process. Files that
 * register fake SFU nodes pass a Redis logical `database` of their own: the node registry is one global
 * key, and other suites running at the same time (the SFU's) heartbeat real nodes into database 0.
 */
export function createTestBus(database?: number): Bus {
	const url = process.env.REDIS_URL;
	if (!url || database === undefined) {
		return createBus(url, { secret: JWT_SECRET });
	}
	const withDb = new URL(url);
	withDb.pathname = `/${database}`;

	return createBus(withDb.toString(), { secret: JWT_SECRET });
}

/** Registers a fake SFU node that stays alive for `aliveMs`; returns it. */
export async function registerNode(
	bus: Bus,
	overrides: Partial<SfuNode> = {},
	aliveMs = 600_000
): Promise<SfuNode> {
	const id = overrides.id ?? `node-${randomBytes(4).toString('hex')}`;
	const node: SfuNode = {
		id,
		url: `ws://${id}.test:8080/ws`,
		rooms: 0,
		peers: 0,
		consumers: 0,
		capacity: 1000,
		// In the future, so the node outlives the test without a heartbeat loop.
		seenAt: Date.now() + aliveMs - 3 * SFU_HEARTBEAT_MS,
		...overrides,
	};
	await bus.hset(SFU_NODES_KEY, { [node.id]: JSON.stringify(node) });

	return node;
}

/** Builds an app on `databaseUrl` with test defaults (rate limits off, silent). */
export function build(
	options: Partial<ApiOptions> & Pick<ApiOptions, 'databaseUrl' | 'bus'>
): Promise<FastifyInstance> {
	return buildServer({ jwtSecret: JWT_SECRET, rateLimits: false, logger: false, ...options });
}

/** A fresh database (real Postgres when DATABASE_URL is set, else PGlite), a bus and an app on them. */
export async function setup(options: Partial<ApiOptions> = {}): Promise<Harness> {
	const dbHandle = await createTestDatabase();
	const bus = options.bus ?? createTestBus();
	try {
		const app = await build({ databaseUrl: dbHandle.url, bus, ...options });
		const harness: Harness = {
			dbHandle,
			bus,
			app,
			build: (more = {}) => build({ databaseUrl: dbHandle.url, bus, ...options, ...more }),
			async close() {
				await harness.app.close();
				await bus.close();
				await dbHandle.stop();
			},
		};

		return harness;
	} catch (error) {
		await bus.close();
		await dbHandle.stop();
		throw error;
	}
}

/** The web client's own page: what the launcher serves for the share pages and the player. */
export const WEB_INDEX_HTML = readFileSync(new URL('../../../web/index.html', import.meta.url), 'utf8');

/** Listens on a free loopback port (for tests that need real HTTP, not inject); returns the base URL. */
export async function listenLocally(app: FastifyInstance): Promise<string> {
	await app.listen({ port: 0, host: '127.0.0.1' });

	return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A handle nobody else in this run has. */
export function uniqueHandle(prefix = 'u'): string {
	return `${prefix}_${randomBytes(5).toString('hex')}`.slice(0, 30);
}

/** A reply's status and parsed JSON body (undefined when empty). */
export interface Reply<T = unknown> {
	status: number;
	body: T;
	headers: Record<string, unknown>;
}

/** Sends a request through `app.inject` with an optional Bearer token and JSON body. */
export async function call<T = unknown>(
	app: FastifyInstance,
	method: InjectOptions['method'],
	url: string,
	options: {
		token?: string | undefined;
		body?: unknown;
		headers?: Record<string, string>;
		remoteAddress?: string;
	} = {}
): Promise<Reply<T>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token) {
		headers.authorization = `Bearer ${options.token}`;
	}
	const res = await app.inject({
		method,
		url,
		headers,
		...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
		...(options.body === undefined ? {} : { payload: options.body as InjectOptions['payload'] }),
	});

	return {
		status: res.statusCode,
		body: (res.body && String(res.headers['content-type']).startsWith('application/json')
			? JSON.parse(res.body)
			: res.body || undefined) as T,
		headers: res.headers,
	};
}

/** A signed-up user and their token. */
export interface TestUser {
	user: User;
	token: string;
}

/** Signs up a user with a unique handle (or the given one) and {@link PASSWORD}. */
export async function signup(
	app: FastifyInstance,
	fields: { handle?: string; displayName?: string; password?: string } = {}
): Promise<TestUser> {
	const handle = fields.handle ?? uniqueHandle();
	const res = await call<TestUser>(app, 'POST', '/api/auth/signup', {
		body: {
			handle,
			displayName: fields.displayName ?? `User ${handle}`,
			password: fields.password ?? PASSWORD,
		},
	});
	if (res.status !== 201) {
		throw new Error(`signup ${handle} failed: ${res.status} ${JSON.stringify(res.body)}`);
	}

	return res.body;
}

/** Logs in; returns the raw reply. */
export function login(app: FastifyInstance, handle: string, password = PASSWORD): Promise<Reply<TestUser>> {
	return call<TestUser>(app, 'POST', '/api/auth/login', { body: { handle, password } });
}

/** Creates a room as `token`'s user (public unless overridden); throws unless 201. */
export async function createRoom(
	app: FastifyInstance,
	token: string,
	fields: Record<string, unknown> = {}
): Promise<Room> {
	const res = await call<Room>(app, 'POST', '/api/rooms', {
		token,
		body: { title: 'A room', visibility: 'public', ...fields },
	});
	if (res.status !== 201) {
		throw new Error(`create room failed: ${res.status} ${JSON.stringify(res.body)}`);
	}

	return res.body;
}

/** Sends a request that must succeed with `status`; returns the body. */
export async function expectStatus<T = unknown>(
	status: number,
	app: FastifyInstance,
	method: InjectOptions['method'],
	url: string,
	options: { token?: string | undefined; body?: unknown } = {}
): Promise<T> {
	const res = await call<T>(app, method, url, options);
	if (res.status !== status) {
		throw new Error(`${method} ${url}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
	}

	return res.body;
}

/** The host of `roomId` appoints a co-host and a moderator and lists a speaker guest (each optional). */
export async function appointStageRoles(
	app: FastifyInstance,
	host: TestUser,
	roomId: string,
	people: { cohost?: TestUser; moderator?: TestUser; speaker?: TestUser }
): Promise<void> {
	const base = `/api/rooms/${roomId}`;
	const options = { token: host.token };
	if (people.cohost) {
		await expectStatus(204, app, 'PUT', `${base}/cohosts/${people.cohost.user.id}`, options);
	}
	if (people.moderator) {
		await expectStatus(204, app, 'PUT', `${base}/moderators/${people.moderator.user.id}`, options);
	}
	if (people.speaker) {
		await expectStatus(204, app, 'PUT', `${base}/guests/${people.speaker.user.id}`, {
			...options,
			body: { kind: 'speaker' },
		});
	}
}

/** Polls `probe` every 50 ms until it returns a value (not undefined); throws after `ms`. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	ms = 15_000
): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value !== undefined) {
			return value;
		}
		if (Date.now() > until) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** An ISO time `ms` from now. */
export function inFuture(ms = 3_600_000): string {
	return new Date(Date.now() + ms).toISOString();
}

/** A self-signed P-256 certificate for 127.0.0.1 (valid a day), made by openssl: test HTTPS servers on loopback. */
export function selfSignedCertificate(): { key: Buffer; cert: string } {
	const dir = mkdtempSync(join(tmpdir(), 'majlis-cert-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ec',
				'-pkeyopt',
				'ec_paramgen_curve:prime256v1',
				'-nodes',
				'-keyout',
				join(dir, 'key.pem'),
				'-out',
				join(dir, 'cert.pem'),
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
			],
			{ stdio: 'ignore' }
		);

		return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
