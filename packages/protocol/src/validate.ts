import { type CheckersByType, compile, compileAll } from './checker.js';
import { type EnvelopeCheckers, parseEnvelope } from './envelope.js';
import { ErrorCode } from './errors.js';
import { ClientEnvelopeSchema, Requests, type RequestType, type WireError } from './messages.js';

const requestCheckers: CheckersByType = compileAll(Requests, (s) => s.request);

/** {@link parseEnvelope} checkers for client frames; a request without `data` has `{}`. */
export const clientFrameCheckers: EnvelopeCheckers<{ id: number; type: string; data?: unknown }> = {
	envelope: compile(ClientEnvelopeSchema),
	payload: ({ type, data }) => ({ type, data: data ?? {}, checkers: requestCheckers }),
};

/** Largest client frame the server accepts, in bytes (SDP-free mediasoup parameters are small). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Result of {@link parseClientFrame}. */
export type ParsedClientFrame =
	| { ok: true; id: number; type: RequestType; data: unknown }
	| { ok: false; id: number | null; error: WireError };

/** Parses and validates one client frame: JSON, envelope, known type, then `data` against its schema. */
export function parseClientFrame(raw: string): ParsedClientFrame {
	const parsed = parseEnvelope(clientFrameCheckers, raw);
	if (parsed.ok) {
		const { envelope, data } = parsed;

		return { ok: true, id: envelope.id, type: envelope.type as RequestType, data };
	}
	const bad = (id: number | null, message: string): ParsedClientFrame => ({
		ok: false,
		id,
		error: { code: ErrorCode.BadRequest, message },
	});
	switch (parsed.reason) {
		case 'json':
			return bad(null, 'frame is not JSON');
		case 'envelope':
			// Echo the id only when it is itself valid, so the client can match the error to its request.
			return bad(validId(parsed.value), parsed.problem);
		default:
			return bad(parsed.envelope.id, parsed.problem);
	}
}

function validId(value: unknown): number | null {
	const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;

	return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? id : null;
}
