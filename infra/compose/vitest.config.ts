import { defineProject } from 'vitest/config';

export default defineProject({
	test: {
		name: 'compose',
		include: ['test/**/*.test.ts'],
		// A cold run builds every image (debootstrap, npm, Debian packages): minutes, not seconds.
		testTimeout: 30 * 60_000,
		// After every other project (group 0) has finished: Docker builds and five containers must not
		// compete with the timing-sensitive media suites for the two cores.
		sequence: { groupOrder: 1 },
	},
});
