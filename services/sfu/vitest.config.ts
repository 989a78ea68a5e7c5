import { defineProject } from 'vitest/config';

export default defineProject({
	test: {
		name: 'sfu',
		include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		server: {
			deps: {
				// The integration tests run the real API in-process: @fastify/autoload import()s its plugin and
				// route files itself, and only through vitest's module runner can those .ts files load on Node 20.
				inline: ['@fastify/autoload'],
			},
		},
	},
});
