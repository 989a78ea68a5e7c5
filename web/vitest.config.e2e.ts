import { defineProject } from 'vitest/config';

// Browser tests: the whole product in-process (startMajlis) driven through Debian's Chromium. Files run
// one after another: each starts a server and up to three browsers, which is all two cores can carry.
// biome-ignore lint/style/noDefaultExport: vitest reads the config's default export (biome.json exempts only vitest.config.ts).
export default defineProject({
	test: {
		name: 'web-e2e',
		environment: 'node',
		include: ['test/e2e/**/*.e2e.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 120_000,
		fileParallelism: false,
		server: {
			deps: {
				// The API in the product loads its plugins and routes with @fastify/autoload's own import();
				// inlined, those imports go through vitest's module runner, which can load .ts on Node 20.
				inline: ['@fastify/autoload'],
			},
		},
	},
});
