import { defineProject } from 'vitest/config';

/**
 * The vitest project of a Node package: its `src` and `test` suites, with timeouts that leave room for
 * real Postgres, Redis and mediasoup to start. `buildsApi` is for suites that build the API in-process:
 * @fastify/autoload import()s the plugin and route files itself, and inlined those imports go through
 * vitest's module runner (which compiles TypeScript and shares one module graph with the test) instead
 * of Node's loader (which cannot load .ts on Node 20).
 */
export function nodeProject(name: string, { buildsApi = false }: { buildsApi?: boolean } = {}) {
	return defineProject({
		test: {
			name,
			include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
			testTimeout: 30_000,
			hookTimeout: 60_000,
			...(buildsApi ? { server: { deps: { inline: ['@fastify/autoload'] } } } : {}),
		},
	});
}
