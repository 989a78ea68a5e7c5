import { compile } from '@majlis/protocol';
import type { Static, TObject } from 'typebox';

/**
 * A reader of the variables an object schema names, checked against it; the reader throws a TypeError
 * naming the first bad variable. Empty variables count as unset, so `FOO=` in a compose file or
 * `FOO= cmd` in a shell does not fail validation.
 */
export function envReader<S extends TObject>(schema: S): (raw: NodeJS.ProcessEnv) => Static<S> {
	const checker = compile(schema);
	const names = Object.keys(schema.properties);

	return (raw) => {
		const picked = Object.fromEntries(
			names.flatMap((k) => (raw[k] === undefined || raw[k] === '' ? [] : [[k, raw[k]]]))
		);
		const problem = checker.explain(picked);
		if (problem) {
			throw new TypeError(`invalid environment: ${problem.replace(/^\//, '')}`);
		}

		return picked as Static<S>;
	};
}

/** An integer variable (its digits already checked by the schema); undefined when unset. */
export function envInt(value: string | undefined): number | undefined {
	return value === undefined ? undefined : Number.parseInt(value, 10);
}

/** A PEM key from a variable: one-line values write the newlines as `\n`. */
export function envPem(text: string): string {
	return text.replace(/\\n/g, '\n').trim();
}
