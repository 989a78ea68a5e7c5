// Progress and tables go to stderr: stdout carries only the summary line that tools read. Apart from
// report.ts so that phases can print without importing the report (which imports the phases).

/** A progress or detail line on stderr (stdout carries only the summary). */
export const out = (line = ''): void => {
	process.stderr.write(`${line}\n`);
};

/** Prints rows as a right-aligned table, one column per key of the first row. */
export function table<T extends object>(rows: readonly T[]): void {
	const cols = Object.keys(rows[0] ?? {}) as (keyof T)[];
	const widths = cols.map((c) => Math.max(String(c).length, ...rows.map((r) => String(r[c]).length)));
	out(cols.map((c, i) => String(c).padStart(widths[i]!)).join('  '));
	for (const r of rows) {
		out(cols.map((c, i) => String(r[c]).padStart(widths[i]!)).join('  '));
	}
}
