import { Type } from 'typebox';
import { compile, compileAll } from './checker.js';
import type { EnvelopeCheckers } from './envelope.js';
import { type NodeEnvelope, NodeEnvelopeSchema, NodeMessages, NodeRequests, RoomEvents, UserEvents } from './internal.js';

/** The envelope of a {@link RoomEvents} message on the bus: `type` names the schema of `data`. */
const RoomEventEnvelopeSchema = Type.Object({ type: Type.String(), data: Type.Optional(Type.Unknown()) });

const roomEventData = compileAll(RoomEvents);

/** {@link parseEnvelope} checkers for the API's room events (another process wrote them). */
export const roomEventCheckers: EnvelopeCheckers<{ type: string; data?: unknown }> = {
	envelope: compile(RoomEventEnvelopeSchema),
	payload: ({ type, data }) => ({ type, data, checkers: roomEventData }),
};

const userEventData = compileAll(UserEvents);

/** {@link parseEnvelope} checkers for the API's account events (sessions revoked, suspension). */
export const userEventCheckers: EnvelopeCheckers<{ type: string; data?: unknown }> = {
	envelope: compile(RoomEventEnvelopeSchema),
	payload: ({ type, data }) => ({ type, data, checkers: userEventData }),
};

const nodeRequestData = compileAll(NodeRequests, (s) => s.request);
const nodeMessageData = compileAll(NodeMessages);

/**
 * {@link parseEnvelope} checkers for messages between SFU nodes: requests and one-way messages are
 * checked by `op`; a reply's data only against its request, by the node that sent it.
 */
export const nodeEnvelopeCheckers: EnvelopeCheckers<NodeEnvelope> = {
	envelope: compile(NodeEnvelopeSchema),
	payload(envelope) {
		switch (envelope.kind) {
			case 'req':
				return { type: envelope.op, data: envelope.data, checkers: nodeRequestData };
			case 'msg':
				return { type: envelope.op, data: envelope.data, checkers: nodeMessageData };
			case 'res':
				return undefined;
			default:
				return envelope satisfies never;
		}
	},
};
