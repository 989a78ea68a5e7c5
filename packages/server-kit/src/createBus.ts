import type { Redis } from 'ioredis';
import type { Bus } from './Bus.js';
import { MemoryBus } from './MemoryBus.js';
import { RedisBus } from './RedisBus.js';
import { type BusRejectionHandler, deriveBusKey, SignedBus } from './SignedBus.js';

/** How {@link createBus} authenticates pub/sub messages. */
export interface BusSigning {
	/** The secret the cluster's processes share (see {@link clusterSecret}); the bus key derives from it. */
	secret: string;
	/** Called for each received message that fails the check (log it, count it). */
	onRejected?: BusRejectionHandler;
}

/**
 * A Redis bus when `redisUrl` is given, otherwise the in-process one (embedded mode); either way its
 * pub/sub messages are signed and checked ({@link SignedBus}), one code path for both modes.
 */
export function createBus(redisUrl: string | undefined, signing: BusSigning): Bus {
	const inner = redisUrl ? new RedisBus(redisUrl) : new MemoryBus();

	return new SignedBus(inner, deriveBusKey(signing.secret), signing.onRejected);
}

/**
 * The secret every process of a cluster holds and the bus key derives from: the service secret with
 * separated keys, else the older shared JWT secret.
 */
export function clusterSecret(keys: string | { serviceSecret: string }): string {
	return typeof keys === 'string' ? keys : keys.serviceSecret;
}

/** The Redis connection under `bus` (a {@link RedisBus}, possibly signed), or undefined for memory. */
export function redisOf(bus: Bus): Redis | undefined {
	const inner = bus instanceof SignedBus ? bus.inner : bus;

	return inner instanceof RedisBus ? inner.redis : undefined;
}
