import { type Static, Type } from 'typebox';

/** How often a client sends its {@link QualityReport} while in a room. */
export const QUALITY_REPORT_INTERVAL_MS = 10_000;
/** Packet loss (percent of packets expected over the last interval) from which a connection is poor. */
export const POOR_LOSS_PCT = 5;
/** Interarrival jitter (ms) from which a connection is poor: audio breaks up beyond what buffers hide. */
export const POOR_JITTER_MS = 50;

/** A client's plain verdict of its own incoming audio over the last interval. */
export const QualityVerdictSchema = Type.Union([Type.Literal('good'), Type.Literal('poor')]);
/** A client's plain verdict of its own incoming audio over the last interval. */
export type QualityVerdict = Static<typeof QualityVerdictSchema>;

/** What a client says of its incoming audio every {@link QUALITY_REPORT_INTERVAL_MS}. */
export const QualityReportSchema = Type.Object(
	{
		/** Packets lost, in percent of those expected over the interval. */
		lossPct: Type.Number({ minimum: 0, maximum: 100 }),
		/** The worst interarrival jitter among the voices, in milliseconds. */
		jitterMs: Type.Number({ minimum: 0, maximum: 60_000 }),
		/** The client's verdict (see {@link qualityVerdict}). */
		verdict: QualityVerdictSchema,
	},
	{ additionalProperties: false }
);
/** What a client says of its incoming audio every {@link QUALITY_REPORT_INTERVAL_MS}. */
export type QualityReport = Static<typeof QualityReportSchema>;

/** The verdict the client sends and the server checks again: poor past either threshold. */
export function qualityVerdict(lossPct: number, jitterMs: number): QualityVerdict {
	return lossPct >= POOR_LOSS_PCT || jitterMs >= POOR_JITTER_MS ? 'poor' : 'good';
}

/** Requests about connection quality (merged into the protocol's `Requests`). */
export const QualityRequests = {
	/**
	 * Anyone in the room: their incoming audio's summary. It changes nothing but a count staff see; the
	 * server refuses reports closer together than half the interval (`rate_limited`).
	 */
	'quality:report': {
		request: QualityReportSchema,
		reply: Type.Object({}, { additionalProperties: false }),
	},
} as const;

/** Notifications about connection quality (merged into the protocol's `Notifications`). */
export const QualityNotifications = {
	/**
	 * To the host, co-hosts and moderators, batched and only when it changes: how many listeners said
	 * over the last intervals that their connection is poor, of how many who reported.
	 */
	'quality:poor': Type.Object({
		count: Type.Integer({ minimum: 0 }),
		reporting: Type.Integer({ minimum: 0 }),
	}),
} as const;
