import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** A compiled TypeBox check with a one-line description of the first problem. */
export interface Checker<T> {
	/** Whether `value` matches. */
	check(value: unknown): value is T;
	/** The first problem as `path: message`, or undefined when valid. */
	explain(value: unknown): string | undefined;
}

/** Compiles a TypeBox schema once into a {@link Checker}. */
export function compile<S extends TSchema>(schema: S): Checker<Static<S>> {
	const validator = Compile(schema);

	return {
		check: (value: unknown): value is Static<S> => validator.Check(value),
		explain(value: unknown) {
			if (validator.Check(value)) {
				return undefined;
			}
			const [first] = validator.Errors(value);

			return first ? `${first.instancePath || '/'}: ${first.message}` : 'invalid';
		},
	};
}

/** Checkers by message type, as {@link compileAll} builds them. */
export type CheckersByType = ReadonlyMap<string, Checker<unknown>>;

/**
 * Compiles every schema of a message map (`Requests`, `RoomEvents`, …); `pick` selects the schema of
 * an entry when entries hold several (a request's `request` or `reply`).
 */
export function compileAll<E>(
	entries: Record<string, E>,
	pick: (entry: E) => TSchema = (entry) => entry as TSchema
): CheckersByType {
	return new Map(Object.entries(entries).map(([type, entry]) => [type, compile(pick(entry))]));
}
