import { defineProject } from 'vitest/config';

export default defineProject({
	test: {
		name: 'api',
		include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		server: {
			deps: {
				// @fastify/autoload import()s the plugin and route files itself; inlined, those imports go
				// through vitest's module runner (which compiles TypeScript and shares one module graph with
				// the test) instead of Node's loader (which cannot load .ts on Node 20).
				inline: ['@fastify/autoload'],
			},
		},
	},
});
