import { defineConfig } from 'vitest/config';

// Each workspace package is a vitest project with its own config; this file only lists them.
export default defineConfig({
	test: {
		projects: ['packages/*/vitest.config.ts', 'services/*/vitest.config.ts', 'web/vitest.config*.ts', 'infra/*/vitest.config.ts'],
	},
});
