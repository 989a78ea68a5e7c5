import { defineProject } from 'vitest/config';

export default defineProject({
	test: {
		name: 'server',
		include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		server: {
			deps: {
				// In-process suites build the API, whose @fastify/autoload import()s .ts plugin files: inlined,
				// those go through vitest's module runner (as in the api project) instead of Node's loader.
				inline: ['@fastify/autoload'],
			},
		},
	},
});
