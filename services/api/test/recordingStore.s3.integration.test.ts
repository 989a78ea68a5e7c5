import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { RecordingTimeline, RecordingView } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { S3RecordingStore, type S3StoreSettings } from '../src/plugins/app/recordings/s3-recording-store.js';
import { call, createRoom, expectStatus, type Harness, setup, signup } from './helper.js';

const BUCKET = 'majlis-recordings';
const work = mkdtempSync(join(tmpdir(), 'majlis-s3-test-'));
// A real S3-compatible server on loopback (s3rver speaks the S3 REST protocol: SigV4, ranged GETs,
// ListObjectsV2, DeleteObjects), with its objects in a temporary folder.
const server = new S3rver({
	address: '127.0.0.1',
	port: 0,
	directory: work,
	silent: true,
	configureBuckets: [{ name: BUCKET, configs: [] }],
});
let settings: S3StoreSettings;
let h: Harness;
let app: FastifyInstance;
let sfu: string;

beforeAll(async () => {
	const { port } = (await server.run()) as { port: number };
	settings = {
		bucket: BUCKET,
		endpoint: `http://127.0.0.1:${port}`,
		region: 'us-east-1',
		credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
		forcePathStyle: true,
		prefix: 'recordings/',
	};
	h = await setup({ recordingS3: settings });
	app = h.app;
	sfu = await app.tokens.signServiceToken('sfu');
});

afterAll(async () => {
	await h?.close();
	await server.close();
	rmSync(work, { recursive: true, force: true });
});

async function keys(prefix: string): Promise<string[]> {
	const client = new S3Client({ ...settings, credentials: settings.credentials! });
	try {
		const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));

		return (page.Contents ?? []).map((o) => o.Key!).sort();
	} finally {
		client.destroy();
	}
}

const timeline: RecordingTimeline = {
	startedAt: Date.now(),
	durationMs: 4000,
	people: [],
	stage: [],
	speaking: [],
	muted: [],
	events: [],
};

describe('recordings in an S3-compatible bucket', () => {
	test('the store: put, size, whole and ranged reads, a missing file, delete', async () => {
		const store = new S3RecordingStore(settings);
		const id = crypto.randomUUID();
		const body = randomBytes(70_000);
		await store.put(id, 'mix.ogg', Readable.from([body.subarray(0, 30_000), body.subarray(30_000)]));
		expect(await store.size(id, 'mix.ogg')).toBe(body.length);
		expect(await store.size(id, 'other.ogg')).toBeNull();
		expect(await Buffer.concat(await (await store.read(id, 'mix.ogg')).toArray())).toEqual(body);
		const part = Buffer.concat(await (await store.read(id, 'mix.ogg', { start: 1000, end: 1999 })).toArray());
		expect(part).toEqual(body.subarray(1000, 2000));
		expect(await keys(`recordings/${id}/`)).toEqual([`recordings/${id}/mix.ogg`]);
		await store.delete(id);
		expect(await keys(`recordings/${id}/`)).toEqual([]);
		expect(await store.size(id, 'mix.ogg')).toBeNull();
		await expect(store.put(id, '../escape', Readable.from([body]))).rejects.toThrow('invalid file name');
		store.close();
	});

	test('through the API: recording → processing (nothing served) → ready, ranges answer 206, delete empties the bucket', async () => {
		const host = await signup(app);
		const room = await createRoom(app, host.token, { title: 'S3 replay' });
		await expectStatus(200, app, 'PUT', `/api/rooms/${room.id}/recordings/setting`, {
			token: host.token,
			body: { enabled: true },
		});
		await expectStatus(200, app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const created = await expectStatus<{ id: string }>(
			201,
			app,
			'POST',
			`/api/internal/rooms/${room.id}/recordings`,
			{ token: sfu, body: { by: host.user.id } }
		);
		const list = async () =>
			(
				await expectStatus<{ items: RecordingView[] }>(200, app, 'GET', `/api/rooms/${room.id}/recordings`, {
					token: host.token,
				})
			).items[0]!;
		expect((await list()).state).toBe('recording');

		// The capture stopped: it is being mixed, the files arrive, and none is served before `finish`.
		await expectStatus(204, app, 'POST', `/api/internal/recordings/${created.id}/processing`, { token: sfu });
		const mix = randomBytes(50_000);
		const upload = async (name: string, data: Buffer) => {
			const res = await app.inject({
				method: 'PUT',
				url: `/api/internal/recordings/${created.id}/files/${name}`,
				headers: { authorization: `Bearer ${sfu}`, 'content-type': 'application/octet-stream' },
				payload: data,
			});
			expect(res.statusCode).toBe(204);
		};
		await upload('mix.ogg', mix);
		const processing = await list();
		expect(processing).toMatchObject({ state: 'processing', audioUrl: null, timelineUrl: null });
		const signed = app.recordingUrls.url(created.id, 'mix.ogg');
		expect((await call(app, 'GET', signed)).status).toBe(404);

		await upload('timeline.json', Buffer.from(JSON.stringify(timeline)));
		await upload('peaks.json', Buffer.from(JSON.stringify({ intervalMs: 100, peaks: [0, 1] })));
		await upload('track-1.ogg', mix.subarray(0, 1000));
		await expectStatus(204, app, 'POST', `/api/internal/recordings/${created.id}/finish`, {
			token: sfu,
			body: {
				state: 'ready',
				durationMs: 4000,
				tracks: [{ userId: host.user.id, file: 'track-1.ogg', durationMs: 4000, firstAudioMs: 0 }],
				timeline,
			},
		});
		const ready = await list();
		expect(ready).toMatchObject({ state: 'ready', durationMs: 4000 });
		const whole = await app.inject({ method: 'GET', url: ready.audioUrl! });
		expect(whole.statusCode).toBe(200);
		expect(whole.rawPayload).toEqual(mix);
		const ranged = await app.inject({
			method: 'GET',
			url: ready.audioUrl!,
			headers: { range: 'bytes=100-4099' },
		});
		expect(ranged.statusCode).toBe(206);
		expect(ranged.headers['content-range']).toBe(`bytes 100-4099/${mix.length}`);
		expect(ranged.rawPayload).toEqual(mix.subarray(100, 4100));
		const tail = await app.inject({ method: 'GET', url: ready.audioUrl!, headers: { range: 'bytes=-10' } });
		expect(tail.statusCode).toBe(206);
		expect(tail.rawPayload).toEqual(mix.subarray(mix.length - 10));
		const track = await app.inject({ method: 'GET', url: ready.tracks![0]!.audioUrl });
		expect(track.rawPayload).toEqual(mix.subarray(0, 1000));
		expect(await keys(`recordings/${created.id}/`)).toHaveLength(4);

		await expectStatus(204, app, 'DELETE', `/api/recordings/${created.id}`, { token: host.token });
		expect(await keys(`recordings/${created.id}/`)).toEqual([]);
		expect((await app.inject({ method: 'GET', url: ready.audioUrl! })).statusCode).toBe(404);
	});

	test('a bad file name or an unknown recording is refused with 4xx', async () => {
		const res = await app.inject({
			method: 'POST',
			url: `/api/internal/recordings/${crypto.randomUUID()}/processing`,
			headers: { authorization: `Bearer ${sfu}` },
		});
		expect(res.statusCode).toBe(404);
		const host = await signup(app);
		const unauth = await call(app, 'POST', `/api/internal/recordings/${crypto.randomUUID()}/processing`, {
			token: host.token,
		});
		expect(unauth.status).toBe(401);
	});
});
