import { type Static, Type } from 'typebox';
import { compile, compileAll } from './checker.js';
import { type EnvelopeCheckers, parseEnvelope } from './envelope.js';
import {
	Notifications,
	type RequestType,
	Requests,
	type ServerNotification,
	type ServerReply,
	WireErrorSchema,
} from './messages.js';

const Id = Type.Integer({ minimum: 0, maximum: 4294967295 });
// Replies carry an id, notifications a type and seq; whichever shape matches decides what to check next.
const ServerEnvelopeSchema = Type.Union([
	Type.Object({ id: Id, ok: Type.Literal(true), data: Type.Optional(Type.Unknown()) }),
	Type.Object({ id: Id, ok: Type.Literal(false), error: WireErrorSchema }),
	Type.Object({
		type: Type.String({ maxLength: 64 }),
		seq: Type.Integer({ minimum: 0 }),
		data: Type.Unknown(),
	}),
]);
type ServerEnvelope = Static<typeof ServerEnvelopeSchema>;

const envelope = compile(ServerEnvelopeSchema);
const replyData = compileAll(Requests, (s) => s.reply);
const notificationData = compileAll(Notifications);

/**
 * Result of {@link parseServerFrame}: a reply or a notification rebuilt from validated fields only, or
 * the problem. `id` of a bad frame is set when the frame still names a valid request id, so a client can
 * fail that request at once instead of letting it time out.
 */
export type ParsedServerFrame =
	| { ok: true; kind: 'reply'; reply: ServerReply }
	| { ok: true; kind: 'notification'; notification: ServerNotification }
	| { ok: false; id: number | null; problem: string };

function validId(value: unknown): number | null {
	const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;

	return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? id : null;
}

/**
 * Parses and validates one server → client frame with {@link parseEnvelope} (text as it came off the
 * socket, or a value already parsed): the reply or notification envelope with the wire error of a
 * refusal, a notification's `data` against {@link Notifications}, and a reply's `data` against the reply
 * schema of the request it answers when `requestType(id)` names it (only the requester knows).
 */
export function parseServerFrame(
	raw: unknown,
	requestType: (id: number) => RequestType | undefined = () => undefined
): ParsedServerFrame {
	const checkers: EnvelopeCheckers<ServerEnvelope> = {
		envelope,
		payload(e) {
			if ('type' in e) {
				return { type: e.type, data: e.data, checkers: notificationData };
			}
			if (!e.ok) {
				return undefined;
			}
			const type = requestType(e.id);

			return type === undefined ? undefined : { type, data: e.data ?? {}, checkers: replyData };
		},
	};
	// A value parsed elsewhere goes through text too: the copy is ours, nothing aliases the caller's.
	const parsed = parseEnvelope(checkers, typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? ''));
	if (!parsed.ok) {
		switch (parsed.reason) {
			case 'json':
				return { ok: false, id: null, problem: 'frame is not JSON' };
			case 'envelope':
				return { ok: false, id: validId(parsed.value), problem: parsed.problem };
			default: {
				const e = parsed.envelope;
				const id = 'id' in e ? e.id : null;

				return { ok: false, id, problem: id === null ? parsed.problem : `reply: ${parsed.problem}` };
			}
		}
	}
	const e = parsed.envelope;
	if ('type' in e) {
		return {
			ok: true,
			kind: 'notification',
			notification: { type: e.type, seq: e.seq, data: e.data } as ServerNotification,
		};
	}
	const reply: ServerReply = e.ok
		? ({ id: e.id, ok: true, data: e.data ?? {} } as ServerReply)
		: { id: e.id, ok: false, error: { code: e.error.code, message: e.error.message } };

	return { ok: true, kind: 'reply', reply };
}
