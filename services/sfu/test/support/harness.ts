import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiOptions, buildServer } from '@majlis/api';
import {
	type InternalRoom,
	type JoinResponse,
	type Room as RoomView,
	roomNodeKey,
	type SpeakRequests,
	type User,
} from '@majlis/protocol';
import {
	type Bus,
	createBus,
	createLogger,
	createTestDatabase,
	createTokenService,
	type PostgresHandle,
} from '@majlis/server-kit';
import { afterAll, beforeAll } from 'vitest';
import { createSfu, type Sfu, type SfuOptions } from '../../src/createSfu.js';
import { createSfuHttpServer } from '../../src/httpServer.js';
import { TestClient } from './TestClient.js';
import { SendTransport } from './webrtc.js';

/** The secret the API and SFU of a harness share. */
export const JWT_SECRET = 'majlis-sfu-test-secret-at-least-32-bytes';
const PASSWORD = 'correct horse battery staple';

type Api = Awaited<ReturnType<typeof buildServer>>;

/** A signed-up user and their Bearer token. */
export interface TestUser {
	user: User;
	token: string;
}

/**
 * REDIS_URL with its own logical database: the node registry and room placements (keys) of a suite that
 * runs several nodes are then invisible to test files running in parallel, whose idle nodes would
 * otherwise be candidates for its placements. (Pub/sub is shared across databases; channels are per node
 * and per room, so that is harmless.)
 */
export function isolatedRedisUrl(db: number): string | undefined {
	const raw = process.env.REDIS_URL;
	if (!raw) {
		return undefined;
	}
	const url = new URL(raw);
	url.pathname = `/${db}`;

	return url.toString();
}

/** One SFU node of a harness (several share one API and bus to test takeovers). */
export interface SfuNodeHandle {
	sfu: Sfu;
	server: Server;
	/** http://127.0.0.1:port of the node's HTTP server. */
	httpUrl: string;
	close(): Promise<void>;
}

/**
 * The real thing, in-process: a fresh Postgres (DATABASE_URL's server, else PGlite), the bus (REDIS_URL,
 * else a MemoryBus), the API (`buildServer`) listening on a random port and an SFU node on another,
 * with a real mediasoup worker. Users, rooms and roles are made through the API's REST routes.
 */
export class Harness {
	readonly api: Api;
	readonly apiUrl: string;
	readonly bus: Bus;
	readonly db: PostgresHandle;
	node: SfuNodeHandle;
	readonly #nodes: SfuNodeHandle[] = [];
	readonly #clients: TestClient[] = [];
	readonly #deferred: (() => Promise<void>)[] = [];
	#count = 0;

	private constructor(api: Api, apiUrl: string, bus: Bus, db: PostgresHandle, node: SfuNodeHandle) {
		this.api = api;
		this.apiUrl = apiUrl;
		this.bus = bus;
		this.db = db;
		this.node = node;
		this.#nodes.push(node);
	}

	/**
	 * Starts Postgres, bus, API and one SFU node. `redisUrl` overrides REDIS_URL (see {@link isolatedRedisUrl});
	 * `apiOptions` are added to the API's (webhook settings, for example).
	 */
	static async start(
		sfuOptions: Partial<SfuOptions> = {},
		redisUrl = process.env.REDIS_URL,
		apiOptions: Partial<ApiOptions> = {}
	): Promise<Harness> {
		const db = await createTestDatabase();
		const bus = createBus(redisUrl, { secret: JWT_SECRET });
		const api = await buildServer({
			databaseUrl: db.url,
			bus,
			jwtSecret: JWT_SECRET,
			rateLimits: false,
			...apiOptions,
		});
		await api.listen({ port: 0, host: '127.0.0.1' });
		const apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
		const node = await Harness.startNode(bus, apiUrl, sfuOptions);

		return new Harness(api, apiUrl, bus, db, node);
	}

	/** Starts an SFU node on `bus` talking to the API at `apiUrl`. */
	static async startNode(
		bus: Bus,
		apiUrl: string,
		sfuOptions: Partial<SfuOptions> = {}
	): Promise<SfuNodeHandle> {
		let sfu: Sfu | undefined;
		const server = createSfuHttpServer(() => sfu);
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		sfu = await createSfu({
			bus,
			jwtSecret: JWT_SECRET,
			apiUrl,
			nodeId: `test-${randomBytes(4).toString('hex')}`,
			publicUrl: `${httpUrl.replace('http', 'ws')}/ws`,
			numWorkers: 1,
			listenIp: '127.0.0.1',
			logger: createLogger('sfu', process.env.LOG_LEVEL ?? 'silent'),
			// Every test client comes from 127.0.0.1, as many users as a test needs: no per-address cap
			// (socketAdmission.integration.test.ts sets its own).
			maxSocketsPerIp: 0,
			...sfuOptions,
		});
		const started = sfu;
		let closing: Promise<void> | undefined;

		return {
			sfu: started,
			server,
			httpUrl,
			close() {
				closing ??= (async () => {
					await started.close();
					server.closeAllConnections();
					await new Promise((resolve) => server.close(resolve));
				})();

				return closing;
			},
		};
	}

	/** Adds another SFU node on the same API and bus. */
	async addNode(sfuOptions: Partial<SfuOptions> = {}): Promise<SfuNodeHandle> {
		const node = await Harness.startNode(this.bus, this.apiUrl, sfuOptions);
		this.#nodes.push(node);

		return node;
	}

	/** Calls the API as a user; throws with the body when the status is not the expected one. */
	async call<T>(
		method: string,
		url: string,
		token: string | null,
		body?: unknown,
		expect = [200, 201, 204]
	): Promise<T> {
		const response = await this.api.inject({
			method: method as 'GET',
			url,
			headers: token ? { authorization: `Bearer ${token}` } : {},
			...(body === undefined ? {} : { payload: body as object }),
		});
		if (!expect.includes(response.statusCode)) {
			throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
		}

		return (response.body ? response.json() : undefined) as T;
	}

	/** Signs a new user up. */
	async user(name: string): Promise<TestUser> {
		this.#count += 1;
		const handle = `${name.slice(0, 12)}_${randomBytes(3).toString('hex')}`;

		return this.call<TestUser>('POST', '/api/auth/signup', null, {
			handle,
			displayName: `${name} ${this.#count}`,
			password: PASSWORD,
		});
	}

	/**
	 * Creates a live room hosted by `host`, placed on `node` (pinned in the bus the way the API records
	 * placements, so parallel suites' nodes are never chosen).
	 */
	async room(
		host: TestUser,
		settings: { speakRequests?: SpeakRequests; maxSpeakers?: number } = {},
		node: SfuNodeHandle = this.node
	): Promise<RoomView> {
		const room = await this.call<RoomView>('POST', '/api/rooms', host.token, {
			title: 'A room',
			visibility: 'public',
			...settings,
		});
		await this.call('POST', `/api/rooms/${room.id}/start`, host.token);
		await this.bus.set(roomNodeKey(room.id), node.sfu.nodeId);

		return room;
	}

	/** Asks the API for a join ticket: the harness's, or the API process at `api` over HTTP. */
	async ticket(user: TestUser, roomId: string, api?: string): Promise<JoinResponse> {
		if (!api) {
			return this.call<JoinResponse>('POST', `/api/rooms/${roomId}/join`, user.token);
		}
		const response = await fetch(`${api}/api/rooms/${roomId}/join`, {
			method: 'POST',
			headers: { authorization: `Bearer ${user.token}` },
		});
		if (response.status !== 200) {
			throw new Error(`POST ${api}/api/rooms/${roomId}/join → ${response.status} ${await response.text()}`);
		}

		return (await response.json()) as JoinResponse;
	}

	/** Opens a socket to the signalling URL the API gave (closed by {@link close}). */
	async connect(url: string, name: string): Promise<TestClient> {
		const client = await TestClient.connect(url, name);
		this.#clients.push(client);

		return client;
	}

	/** Joins `user` to a room the way a browser does: API ticket (from `api`, see {@link ticket}), socket, `session:join`. */
	async join(user: TestUser, roomId: string, name = user.user.handle, api?: string) {
		const { signallingUrl, ticket } = await this.ticket(user, roomId, api);
		const client = await this.connect(signallingUrl, name);
		const joined = await client.join(ticket, { roomId });

		return { client, ...joined };
	}

	/** Joins `host` and sends an unmuted test tone from the stage (transport closed with the harness). */
	async speakingHost(host: TestUser, roomId: string) {
		const side = await this.join(host, roomId);

		return { ...side, send: await this.speak(side) };
	}

	/**
	 * Sends an unmuted tone (`frames` at `level`; the load generator's by default) from a joined side,
	 * which `host` invites to the stage first when it is not on it. The transport closes with the harness.
	 */
	async speak(
		side: Awaited<ReturnType<Harness['join']>>,
		options: { host?: TestClient; level?: number; frames?: readonly Buffer[] } = {}
	): Promise<SendTransport> {
		if (!side.snapshot.self.onStage && options.host) {
			await options.host.request('stage:invite', { userId: side.snapshot.self.userId });
			await side.client.request('stage:accept');
		}
		const send = await SendTransport.create(side.client);
		this.defer(() => send.close());
		await send.produce();
		await side.client.request('mic:unmute');
		send.startTone(options.level, options.frames);
		this.defer(async () => send.stopTone());

		return send;
	}

	/** Protocol problems seen by any client of this harness. */
	problems(): string[] {
		return this.#clients.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`));
	}

	/** A service token, to read the API's internal routes as an SFU does. */
	serviceToken(): Promise<string> {
		return createTokenService(JWT_SECRET).signServiceToken('sfu');
	}

	/** The API's record of a room as SFU nodes read it (Postgres, through `GET /api/internal/rooms/:id`). */
	async record(roomId: string): Promise<InternalRoom> {
		return this.call<InternalRoom>('GET', `/api/internal/rooms/${roomId}`, await this.serviceToken());
	}

	/** Registers a test resource (a media transport…) to close, in reverse order, before the harness. */
	defer(close: () => Promise<void>): void {
		this.#deferred.push(close);
	}

	/** Closes deferred resources, clients, SFU nodes, API, bus and database. */
	async close(): Promise<void> {
		for (const close of this.#deferred.splice(0).reverse()) {
			await close().catch(() => undefined);
		}
		await Promise.all(this.#clients.map((c) => c.close().catch(() => undefined)));
		await Promise.all(this.#nodes.map((n) => n.close()));
		await this.api.close();
		await this.bus.close();
		await this.db.stop();
	}
}

/**
 * Starts a {@link Harness} (with `start`'s arguments) before the suite it is called in, a file or a
 * describe block, and closes it after; `started` receives it (the suite's `let h`).
 */
export function useHarness(started: (h: Harness) => void, ...args: Parameters<typeof Harness.start>): void {
	let harness: Harness | undefined;
	beforeAll(async () => {
		harness = await Harness.start(...args);
		started(harness);
	});
	afterAll(async () => {
		await harness?.close();
	});
}
