import { type CreateRoomBody, ROOM_LIMITS, type UpdateRoomBody } from '@majlis/protocol';
import type { Updateable } from 'kysely';
import type { RoomsTable } from '../../../db/schema.js';
import { type FieldErrors, ValidationError } from '../../../errors.js';

// Rules the schema cannot express (blank after trimming, a start in the past), checked once for
// create and update so both answer with the same field messages.

const TITLE_MESSAGE = `must be ${ROOM_LIMITS.title.min}–${ROOM_LIMITS.title.max} characters`;
const TOPIC_MESSAGE = `must be ${ROOM_LIMITS.topic.min}–${ROOM_LIMITS.topic.max} characters`;

/** Settings of a new room, normalized. */
export interface NewRoomInput {
	title: string;
	description: string;
	topics: string[];
	scheduledFor: Date | null;
	visibility: CreateRoomBody['visibility'];
	speakRequests: NonNullable<CreateRoomBody['speakRequests']>;
	maxSpeakers: number;
	chat: NonNullable<CreateRoomBody['chat']>;
	language: string | null;
}

function title(value: string, fields: FieldErrors): string {
	const trimmed = value.trim();
	if (trimmed.length === 0) {
		fields.title = TITLE_MESSAGE;
	}

	return trimmed;
}

function topics(values: readonly string[], fields: FieldErrors): string[] {
	const out: string[] = [];
	const seen = new Set<string>();
	values.forEach((value, i) => {
		const trimmed = value.trim();
		if (trimmed.length === 0) {
			fields[`topics.${i}`] = TOPIC_MESSAGE;
		} else if (!seen.has(trimmed.toLowerCase())) {
			// "Music" and "music" are one topic.
			seen.add(trimmed.toLowerCase());
			out.push(trimmed);
		}
	});

	return out;
}

function scheduledFor(value: string | null, now: Date, fields: FieldErrors): Date | null {
	if (value === null) {
		return null;
	}
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) {
		fields.scheduledFor = 'must be an ISO 8601 date-time with a time zone';
	} else if (date.getTime() <= now.getTime()) {
		fields.scheduledFor = 'must be in the future';
	}

	// Dates carry milliseconds only, which keeps listing cursors exact.
	return date;
}

/** Normalizes the body of `POST /api/rooms`; throws {@link ValidationError} naming each bad field. */
export function createRoomInput(body: CreateRoomBody, now: Date): NewRoomInput {
	const fields: FieldErrors = {};
	const input: NewRoomInput = {
		title: title(body.title, fields),
		description: (body.description ?? '').trim(),
		topics: topics(body.topics ?? [], fields),
		scheduledFor: scheduledFor(body.scheduledFor ?? null, now, fields),
		visibility: body.visibility,
		speakRequests: body.speakRequests ?? 'everyone',
		maxSpeakers: body.maxSpeakers ?? ROOM_LIMITS.speakers.default,
		chat: body.chat ?? 'everyone',
		language: body.language ?? null,
	};
	if (Object.keys(fields).length > 0) {
		throw new ValidationError(fields);
	}

	return input;
}

/** Normalizes the body of `PATCH /api/rooms/:id` into column updates (only the fields sent). */
export function updateRoomInput(body: UpdateRoomBody, now: Date): Updateable<RoomsTable> {
	const fields: FieldErrors = {};
	const patch: Updateable<RoomsTable> = {};
	if (body.title !== undefined) {
		patch.title = title(body.title, fields);
	}
	if (body.description !== undefined) {
		patch.description = body.description.trim();
	}
	if (body.topics !== undefined) {
		patch.topics = topics(body.topics, fields);
	}
	if (body.scheduledFor !== undefined) {
		patch.scheduled_for = scheduledFor(body.scheduledFor, now, fields);
	}
	if (body.visibility !== undefined) {
		patch.visibility = body.visibility;
	}
	if (body.speakRequests !== undefined) {
		patch.speak_requests = body.speakRequests;
	}
	if (body.maxSpeakers !== undefined) {
		patch.max_speakers = body.maxSpeakers;
	}
	if (body.chat !== undefined) {
		patch.chat = body.chat;
	}
	if (body.language !== undefined) {
		patch.language = body.language;
	}
	if (Object.keys(fields).length > 0) {
		throw new ValidationError(fields);
	}

	return patch;
}
