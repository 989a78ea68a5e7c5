import { Type } from 'typebox';
import { describe, expect, test } from 'vitest';
import { nodeEnvelopeCheckers, roomEventCheckers } from './busEnvelopes.js';
import { compile, compileAll } from './checker.js';
import { type EnvelopeCheckers, parseEnvelope } from './envelope.js';

const USER = '00000000-0000-4000-8000-000000000001';

// A small envelope of its own, so the steps are tested apart from the protocol's messages.
const pings: EnvelopeCheckers<{ kind: string; op: string; body?: unknown }> = {
	envelope: compile(
		Type.Object({ kind: Type.String(), op: Type.String(), body: Type.Optional(Type.Unknown()) })
	),
	payload: (e) =>
		e.kind === 'ack'
			? undefined
			: { type: e.op, data: e.body, checkers: compileAll({ ping: Type.Object({ n: Type.Integer() }) }) },
};

describe('parseEnvelope()', () => {
	test('returns the envelope, the type and the checked data', () => {
		expect(parseEnvelope(pings, '{"kind":"say","op":"ping","body":{"n":1}}')).toEqual({
			ok: true,
			envelope: { kind: 'say', op: 'ping', body: { n: 1 } },
			type: 'ping',
			data: { n: 1 },
		});
	});

	test('accepts an envelope without a payload to check, with no type', () => {
		expect(parseEnvelope(pings, '{"kind":"ack","op":"anything"}')).toMatchObject({
			ok: true,
			type: undefined,
			data: undefined,
		});
	});

	test('refuses text that is not JSON', () => {
		expect(parseEnvelope(pings, '{')).toEqual({ ok: false, reason: 'json', problem: 'not JSON' });
	});

	test.each([
		['an array', '[]'],
		['null', 'null'],
		['a missing field', '{"kind":"say"}'],
		['a wrongly typed field', '{"kind":"say","op":7}'],
	])('refuses %s as a bad envelope, keeping the parsed value', (_name, raw) => {
		const r = parseEnvelope(pings, raw);
		expect(r).toMatchObject({ ok: false, reason: 'envelope', value: JSON.parse(raw) });
		expect(!r.ok && r.problem).toMatch(/^bad envelope /);
	});

	test.each(['pong', '__proto__', 'toString', 'constructor'])('refuses the unknown type %s', (op) => {
		const raw = JSON.stringify({ kind: 'say', op, body: {} });
		expect(parseEnvelope(pings, raw)).toEqual({
			ok: false,
			reason: 'type',
			problem: `unknown type "${op}"`,
			envelope: { kind: 'say', op, body: {} },
			type: op,
		});
	});

	test('refuses data that does not match its type, naming the type and the path', () => {
		const r = parseEnvelope(pings, '{"kind":"say","op":"ping","body":{"n":"one"}}');
		expect(r).toMatchObject({ ok: false, reason: 'data', type: 'ping', envelope: { op: 'ping' } });
		expect(!r.ok && r.problem).toMatch(/^ping data\/n: /);
	});
});

describe('roomEventCheckers', () => {
	test('accepts a known event with valid data', () => {
		const raw = JSON.stringify({ type: 'room.ended', data: { roomId: USER } });
		const r = parseEnvelope(roomEventCheckers, raw);
		expect(r.ok ? r.type : r.problem).toBe('room.ended');
	});

	test('refuses unknown events and events without data', () => {
		expect(parseEnvelope(roomEventCheckers, '{"type":"room.exploded","data":{}}')).toMatchObject({
			ok: false,
			reason: 'type',
		});
		expect(parseEnvelope(roomEventCheckers, '{"type":"room.ended"}')).toMatchObject({
			ok: false,
			reason: 'data',
		});
	});
});

describe('nodeEnvelopeCheckers', () => {
	test('checks a request and a message by op, and leaves a reply to its requester', () => {
		const request = { kind: 'req', id: 1, from: 'a', op: 'link:open', data: {} };
		expect(parseEnvelope(nodeEnvelopeCheckers, JSON.stringify(request))).toMatchObject({
			ok: false,
			reason: 'data',
			type: 'link:open',
			envelope: request,
		});
		const message = { kind: 'msg', from: 'a', op: 'no:such', data: {} };
		expect(parseEnvelope(nodeEnvelopeCheckers, JSON.stringify(message))).toMatchObject({
			ok: false,
			reason: 'type',
		});
		const reply = { kind: 'res', id: 1, ok: true, data: { anything: 1 } };
		expect(parseEnvelope(nodeEnvelopeCheckers, JSON.stringify(reply))).toEqual({
			ok: true,
			envelope: reply,
			type: undefined,
			data: undefined,
		});
	});
});
