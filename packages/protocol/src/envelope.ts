import type { Checker, CheckersByType } from './checker.js';

/** The typed payload of an envelope: its type, its data and the checkers by type that apply. */
export interface EnvelopePayload {
	/** The payload's type (`type` of a frame or event, `op` of a node message). */
	readonly type: string;
	/** The payload itself, checked against `checkers.get(type)`. */
	readonly data: unknown;
	/** Checkers by type; a type missing here is unknown. */
	readonly checkers: CheckersByType;
}

/** How {@link parseEnvelope} reads one kind of message: the envelope's shape, then its payload. */
export interface EnvelopeCheckers<E> {
	/** The envelope's own shape (the fields around the payload), checked first. */
	readonly envelope: Checker<E>;
	/**
	 * The payload of a valid envelope, or undefined when it carries nothing to check here (a reply is
	 * checked against its request's type, which only the requester knows).
	 */
	readonly payload: (envelope: E) => EnvelopePayload | undefined;
}

/** Which step of {@link parseEnvelope} refused the message. */
export type EnvelopeFailure = 'json' | 'envelope' | 'type' | 'data';

/**
 * Result of {@link parseEnvelope}. A refusal says which step failed and carries what was read so far,
 * so a caller can still answer it (a request's id is known once its envelope is valid).
 */
export type ParsedEnvelope<E> =
	| { ok: true; envelope: E; type: string | undefined; data: unknown }
	| { ok: false; reason: 'json'; problem: string }
	| { ok: false; reason: 'envelope'; problem: string; value: unknown }
	| { ok: false; reason: 'type' | 'data'; problem: string; envelope: E; type: string };

/**
 * Parses one message another party wrote (a client frame, a bus event, a node message): JSON, the
 * envelope's shape, a known payload type, then the payload against its type's schema. Never throws;
 * `problem` is one line for logs and wire errors.
 */
export function parseEnvelope<E>(checkers: EnvelopeCheckers<E>, raw: string): ParsedEnvelope<E> {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return { ok: false, reason: 'json', problem: 'not JSON' };
	}
	if (!checkers.envelope.check(value)) {
		return {
			ok: false,
			reason: 'envelope',
			problem: `bad envelope ${checkers.envelope.explain(value)}`,
			value,
		};
	}
	const envelope = value;
	const payload = checkers.payload(envelope);
	if (!payload) {
		return { ok: true, envelope, type: undefined, data: undefined };
	}
	const { type, data } = payload;
	const checker = payload.checkers.get(type);
	if (!checker) {
		return { ok: false, reason: 'type', problem: `unknown type "${type}"`, envelope, type };
	}
	const problem = checker.explain(data);
	if (problem) {
		return { ok: false, reason: 'data', problem: `${type} data${problem}`, envelope, type };
	}

	return { ok: true, envelope, type, data };
}
