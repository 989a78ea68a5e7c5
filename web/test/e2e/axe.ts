import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

/** One serious or critical accessibility violation, trimmed for test output. */
export interface AxeViolation {
	/** axe rule id (e.g. `color-contrast`). */
	id: string;
	/** `serious` or `critical`. */
	impact: string;
	/** What the rule checks. */
	help: string;
	/** Selectors of offending elements and axe's summary of each. */
	nodes: { target: string; summary: string }[];
}

/**
 * Injects axe-core into the page and returns its serious and critical violations against WCAG 2.x A/AA
 * (an empty array means the page passes the bar the project sets).
 */
export async function runAxe(page: Page, options: { include?: string } = {}): Promise<AxeViolation[]> {
	source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
	// Evaluated over the DevTools protocol rather than added as a <script>: the app's Content Security
	// Policy (script-src 'self') rightly blocks inline scripts, and tests must not loosen it.
	await page.evaluate(await source);

	return page.evaluate(async (include) => {
		type Result = {
			violations: {
				id: string;
				impact: string | null;
				help: string;
				nodes: { target: string[]; failureSummary?: string }[];
			}[];
		};
		const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } })
			.axe;
		const result = await axe.run(include ? { include: [include] } : document, {
			runOnly: {
				type: 'tag',
				values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
			},
			resultTypes: ['violations'],
		});

		return result.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => ({
				id: v.id,
				impact: v.impact ?? '',
				help: v.help,
				nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
			}));
	}, options.include);
}
