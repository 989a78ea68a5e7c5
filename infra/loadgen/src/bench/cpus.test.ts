import { describe, expect, test } from 'vitest';
import { CoreAllocator } from './cpus.js';

describe('CoreAllocator', () => {
	test('a free worker core for each worker, then the least busy of all, and back on release', () => {
		const cores = new CoreAllocator({ generator: [0], workers: [1, 2], all: [0, 1, 2] });
		expect([cores.take(), cores.take()]).toEqual([1, 2]);
		// Every worker core taken: the generator's core is the least busy.
		expect(cores.take()).toBe(0);
		cores.release([1]);
		expect(cores.take()).toBe(1);
	});

	test('on two cores a second worker shares the generator core', () => {
		const cores = new CoreAllocator({ generator: [0], workers: [1], all: [0, 1] });
		expect([cores.take(), cores.take()]).toEqual([1, 0]);
	});
});
