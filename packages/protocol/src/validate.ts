import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ErrorCode } from './errors.js';
import {
	ClientEnvelopeSchema,
	Notifications,
	type RequestType,
	Requests,
	type ServerFrame,
	type WireError,
} from './messages.js';

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

const envelope = compile(ClientEnvelopeSchema);
const requestCheckers = new Map<string, Checker<unknown>>(
	Object.entries(Requests).map(([type, s]) => [type, compile(s.request)])
);
const notificationCheckers = new Map<string, Checker<unknown>>(
	Object.entries(Notifications).map(([type, s]) => [type, compile(s)])
);

/** Largest client frame the server accepts, in bytes (SDP-free mediasoup parameters are small). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Result of {@link parseClientFrame}. */
export type ParsedClientFrame =
	| { ok: true; id: number; type: RequestType; data: unknown }
	| { ok: false; id: number | null; error: WireError };

function isRequestType(type: string): type is RequestType {
	return Object.hasOwn(Requests, type);
}

/** Parses and validates one client frame: JSON, envelope, known type, then `data` against its schema. */
export function parseClientFrame(raw: string): ParsedClientFrame {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return { ok: false, id: null, error: { code: ErrorCode.BadRequest, message: 'frame is not JSON' } };
	}
	if (!envelope.check(value)) {
		// Echo the id only when it is itself valid, so the client can match the error to its request.
		const rawId = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
		const id =
			typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 && rawId <= 0xffffffff
				? rawId
				: null;

		return {
			ok: false,
			id,
			error: { code: ErrorCode.BadRequest, message: `bad envelope ${envelope.explain(value)}` },
		};
	}
	if (!isRequestType(value.type)) {
		return {
			ok: false,
			id: value.id,
			error: { code: ErrorCode.BadRequest, message: `unknown type "${value.type}"` },
		};
	}
	const data = value.data ?? {};
	const checker = requestCheckers.get(value.type)!;
	const problem = checker.explain(data);
	if (problem) {
		return {
			ok: false,
			id: value.id,
			error: { code: ErrorCode.BadRequest, message: `${value.type} data${problem}` },
		};
	}

	return { ok: true, id: value.id, type: value.type, data };
}

/** Validates one server frame (used by clients and tests); returns a problem description or undefined. */
export function explainServerFrame(frame: unknown): string | undefined {
	if (typeof frame !== 'object' || frame === null) {
		return 'frame is not an object';
	}
	const f = frame as Partial<ServerFrame> & { type?: unknown; id?: unknown };
	if (typeof f.id === 'number') {
		return typeof (f as { ok?: unknown }).ok === 'boolean' ? undefined : 'reply without ok';
	}
	if (typeof f.type !== 'string') {
		return 'notification without type';
	}
	const checker = notificationCheckers.get(f.type);
	if (!checker) {
		return `unknown notification "${f.type}"`;
	}
	const problem = checker.explain((f as { data?: unknown }).data);

	return problem ? `${f.type} data${problem}` : undefined;
}
