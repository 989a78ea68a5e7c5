import type { Bus } from './Bus.js';
import { MemoryBus } from './MemoryBus.js';
import { RedisBus } from './RedisBus.js';

/** A Redis bus when `redisUrl` is given, otherwise the in-process one (embedded mode). */
export function createBus(redisUrl: string | undefined): Bus {
	return redisUrl ? new RedisBus(redisUrl) : new MemoryBus();
}
