import { describe, expect, test } from 'vitest';
import { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import { OpenRegistry } from './OpenRegistry.js';

// A real closable value: closing emits `close`, as Rooms and RelayRooms do.
class Thing extends EnhancedEventEmitter<{ close: [] }> {
	readonly name: string;

	constructor(name: string) {
		super();
		this.name = name;
	}

	close(): void {
		this.safeEmit('close');
	}
}

describe('OpenRegistry', () => {
	test('concurrent opens of a key share one opening', async () => {
		const registry = new OpenRegistry<Thing>();
		let created = 0;
		const create = async () => new Thing(`t${++created}`);
		const [a, b] = await Promise.all([registry.open('k', create), registry.open('k', create)]);
		expect(a).toBe(b);
		expect(created).toBe(1);
		expect(registry.get('k')).toBe(a);
		expect(registry.size).toBe(1);
	});

	test('a failed opening is forgotten, so the next open tries again', async () => {
		const registry = new OpenRegistry<Thing>();
		await expect(registry.open('k', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
		expect(registry.entry('k')).toBeUndefined();
		await expect(registry.open('k', async () => new Thing('ok'))).resolves.toMatchObject({ name: 'ok' });
	});

	test('a value that closes is forgotten', async () => {
		const registry = new OpenRegistry<Thing>();
		const thing = await registry.open('k', async () => new Thing('a'));
		thing.close();
		expect(registry.get('k')).toBeUndefined();
		expect(registry.entry('k')).toBeUndefined();
		expect(await registry.open('k', async () => new Thing('b'))).not.toBe(thing);
	});

	test('reuse decides whether an open value serves; a replaced one closing leaves its successor', async () => {
		const registry = new OpenRegistry<Thing>();
		const first = await registry.open('k', async () => new Thing('a'));
		const second = await registry.open('k', async () => new Thing('b'), { reuse: (t) => t.name === 'b' });
		expect(second.name).toBe('b');
		first.close();
		expect(registry.get('k')).toBe(second);
		expect(await registry.open('k', async () => new Thing('c'), { reuse: (t) => t.name === 'b' })).toBe(second);
	});

	test('afterOpen runs with the value registered, before callers get it', async () => {
		const registry = new OpenRegistry<Thing>();
		const seen: (Thing | undefined)[] = [];
		const thing = await registry.open('k', async () => new Thing('a'), {
			async afterOpen() {
				seen.push(registry.get('k'));
			},
		});
		expect(seen).toEqual([thing]);
	});
});
