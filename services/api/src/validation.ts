import { ERROR_MESSAGE_KEYWORD } from '@majlis/protocol';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldErrors } from './errors.js';

// ajv-formats is CommonJS; under ESM its plugin may sit on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ??
	addFormatsImport) as typeof addFormatsImport;

// The annotation is the protocol's, whose REST schemas carry it too.
export { ERROR_MESSAGE_KEYWORD } from '@majlis/protocol';

function createAjv(coerceTypes: boolean): Ajv {
	const ajv = new Ajv({
		// Unknown fields are dropped rather than refused, so older clients keep working.
		removeAdditional: 'all',
		useDefaults: true,
		coerceTypes,
		// Every bad field is reported at once; inputs are bounded (body limit, maxLength, maxItems).
		allErrors: true,
		// parentSchema lets us word messages from the limits the schema declares.
		verbose: true,
		strictTypes: false,
	});
	addFormats(ajv);
	ajv.addKeyword(ERROR_MESSAGE_KEYWORD);

	return ajv;
}

/**
 * Fastify validator compiler: JSON bodies are validated as sent (no coercion: `"13"` is not a number),
 * while querystrings and path params — always strings on the wire — are coerced to their schema types.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
	const strict = createAjv(false);
	const coercing = createAjv(true);

	return ({ schema, httpPart }) => {
		const ajv = httpPart === 'querystring' || httpPart === 'params' ? coercing : strict;

		return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
	};
}

type Schema = Record<string, unknown>;

function num(schema: Schema, key: string): number | undefined {
	const value = schema[key];

	return typeof value === 'number' ? value : undefined;
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
	if (min !== undefined && max !== undefined) {
		return `must be ${min}–${max}${unit}`;
	}

	return min !== undefined ? `must be at least ${min}${unit}` : `must be at most ${max}${unit}`;
}

function constValues(schema: Schema): unknown[] | undefined {
	const branches = schema.anyOf;
	if (!Array.isArray(branches)) {
		return undefined;
	}
	const values: unknown[] = [];
	for (const branch of branches as Schema[]) {
		if ('const' in branch) {
			values.push(branch.const);
		} else if (branch.type === 'null') {
			values.push(null);
		} else {
			return undefined;
		}
	}

	return values;
}

const FORMAT_MESSAGES: Record<string, string> = {
	uuid: 'must be a UUID',
	'date-time': 'must be an ISO 8601 date-time with a time zone',
};

function describe(error: ErrorObject): string {
	const schema = (error.parentSchema ?? {}) as Schema;
	switch (error.keyword) {
		case 'required': {
			return 'is required';
		}
		case 'minLength':
		case 'maxLength': {
			return range(num(schema, 'minLength'), num(schema, 'maxLength'), ' characters');
		}
		case 'minimum':
		case 'maximum': {
			const min = num(schema, 'minimum');
			const max = num(schema, 'maximum');
			if (min !== undefined && max !== undefined) {
				return `must be between ${min} and ${max}`;
			}

			return min !== undefined ? `must be at least ${min}` : `must be at most ${max}`;
		}
		case 'minItems':
		case 'maxItems': {
			return range(num(schema, 'minItems'), num(schema, 'maxItems'), ' items');
		}
		case 'pattern': {
			const message = schema[ERROR_MESSAGE_KEYWORD];

			return typeof message === 'string' ? message : 'has an invalid format';
		}
		case 'format': {
			const format = String((error.params as { format?: unknown }).format);

			return FORMAT_MESSAGES[format] ?? `must be a valid ${format}`;
		}
		case 'type': {
			const type = (error.params as { type?: unknown }).type;
			const types = String(type).split(',');

			return `must be ${types.map((t) => (t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`)).join(' or ')}`;
		}
		case 'const': {
			return `must be ${JSON.stringify(error.schema)}`;
		}
		case 'enum': {
			return `must be one of ${(error.schema as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
		}
		case 'anyOf': {
			const values = constValues(schema);

			return values ? `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` : 'is invalid';
		}
		case 'additionalProperties': {
			return 'is not allowed';
		}
		default: {
			return error.message ?? 'is invalid';
		}
	}
}

function pathOf(error: ErrorObject, context: string): string {
	const segments = error.instancePath
		.split('/')
		.slice(1)
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (error.keyword === 'required') {
		segments.push(String((error.params as { missingProperty?: unknown }).missingProperty));
	}

	return segments.length > 0 ? segments.join('.') : context;
}

/**
 * Turns AJV errors into `{ path: message }`, one message per field. For a union of literals the
 * message lists the allowed values; for other unions the most telling branch error wins (a `null`
 * branch's "must be null" is noise).
 */
export function fieldErrors(errors: readonly ErrorObject[], context = 'body'): FieldErrors {
	const byPath = new Map<string, ErrorObject[]>();
	for (const error of errors) {
		const path = pathOf(error, context);
		const list = byPath.get(path) ?? [];
		list.push(error);
		byPath.set(path, list);
	}
	const fields: FieldErrors = {};
	for (const [path, list] of byPath) {
		const union = list.find((e) => e.keyword === 'anyOf' && constValues((e.parentSchema ?? {}) as Schema));
		const telling = list.find(
			(e) =>
				e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null')
		);
		const chosen = union ?? telling ?? list[0];
		if (chosen) {
			fields[path] = describe(chosen);
		}
	}

	return fields;
}
