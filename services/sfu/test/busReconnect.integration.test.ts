import { buildServer } from '@majlis/api';
import { MemoryBus, RedisBus, type SignedBus } from '@majlis/server-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Harness, JWT_SECRET } from './support/harness.js';

// Redis pub/sub is at-most-once: a room event published while a node's subscriber is disconnected is
// lost. When the subscriber reconnects, the node re-reads its open rooms from the API (finding 5 of the
// security review). The lost event is made real: a second API process whose bus reaches nobody commits
// the change to the shared Postgres, so its event never arrives; then the node's subscriber connection
// is killed with CLIENT KILL, and the change must take effect once it is back. Redis only: the
// in-process bus has no connection to lose.

const url = process.env.REDIS_URL;
let h: Harness;
let redis: Redis;
beforeAll(async () => {
	if (url) {
		h = await Harness.start();
		redis = new Redis(url);
	}
});
afterAll(async () => {
	await redis?.quit();
	await h?.close();
});

async function killSubscriber(name: string): Promise<void> {
	const list = (await redis.client('LIST')) as string;
	const id = list
		.split('\n')
		.find((line) => line.includes(` name=${name} `))
		?.match(/^id=(\d+) /)?.[1];
	expect(id).toBeDefined();
	expect(await redis.client('KILL', 'ID', id!)).toBe(1);
}

test.runIf(Boolean(url))(
	'an appointment whose event was lost takes effect after the subscriber reconnects',
	async () => {
		const host = await h.user('host');
		const helper = await h.user('helper');
		const room = await h.room(host);
		await h.join(host, room.id);
		const { client } = await h.join(helper, room.id);

		const deaf = await buildServer({
			databaseUrl: h.db.url,
			bus: new MemoryBus(),
			jwtSecret: JWT_SECRET,
			rateLimits: false,
		});
		try {
			const response = await deaf.inject({
				method: 'PUT',
				url: `/api/rooms/${room.id}/moderators/${helper.user.id}`,
				headers: { authorization: `Bearer ${host.token}` },
			});
			expect(response.statusCode).toBe(204);
		} finally {
			await deaf.close();
		}
		// The event was lost: the live room still has them as a listener.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(client.all('self:state').some((s) => s.role === 'moderator')).toBe(false);

		const from = client.mark;
		const inner = (h.bus as SignedBus).inner;
		expect(inner).toBeInstanceOf(RedisBus);
		await killSubscriber((inner as RedisBus).subscriberName);
		const self = await client.waitFor('self:state', (s) => s.role === 'moderator', {
			from,
			timeoutMs: 10_000,
		});
		expect(self.role).toBe('moderator');
	}
);
