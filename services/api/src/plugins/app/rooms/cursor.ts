import { compile } from '@majlis/protocol';
import { type Static, Type } from 'typebox';

// Opaque to clients: base64url JSON of the last item's sort key. Timestamps are epoch milliseconds,
// exact because the API writes every timestamp from a JS Date (millisecond precision).

const Millis = Type.Integer({ minimum: -8.64e15, maximum: 8.64e15 });
const Id = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });

const CursorSchema = Type.Union([
	/** Live: listener count desc, startedAt asc, id asc. */
	Type.Object({
		p: Type.Literal('live'),
		n: Type.Integer({ minimum: 0 }),
		t: Type.Union([Millis, Type.Null()]),
		id: Id,
	}),
	/** Scheduled: scheduledFor asc (nulls last), id asc. */
	Type.Object({ p: Type.Literal('scheduled'), t: Type.Union([Millis, Type.Null()]), id: Id }),
	/** Ended: endedAt desc, id desc. */
	Type.Object({ p: Type.Literal('ended'), t: Millis, id: Id }),
]);

/** The sort key of a listed room, which is what a cursor holds. */
export type CursorKey = Static<typeof CursorSchema>;
/** The sort key of a live room. */
export type LiveKey = Extract<CursorKey, { p: 'live' }>;

const checker = compile(CursorSchema);

/** Encodes a sort key as an opaque cursor. */
export function encodeCursor(key: CursorKey): string {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): CursorKey | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

		return checker.check(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** Order of live rooms: most listeners first, then earliest start (unknown last), then id. */
export function compareLive(a: LiveKey, b: LiveKey): number {
	if (a.n !== b.n) {
		return b.n - a.n;
	}
	const ta = a.t ?? Number.POSITIVE_INFINITY;
	const tb = b.t ?? Number.POSITIVE_INFINITY;
	if (ta !== tb) {
		return ta < tb ? -1 : 1;
	}

	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
