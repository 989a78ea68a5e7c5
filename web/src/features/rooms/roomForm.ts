import {
	type ChatMode,
	type CreateRoomBody,
	type GuestKind,
	ROOM_LIMITS,
	type Room,
	type SpeakRequests,
	type UserSummary,
	type Visibility,
} from '@majlis/protocol';
import type { FieldErrors } from '../auth/fieldErrors';
import { parseTopics } from './topics';

// The schedule form's rules, apart from React: the same limits as the API's (the protocol's), checked
// before sending so the common mistakes are named without a round trip.

/** A guest as the form lists them. */
export interface GuestEntry {
	/** Who. */
	user: UserSummary;
	/** Speaker guests may speak without raising a hand; listener guests may join a private room. */
	kind: GuestKind;
}

/** What the schedule form holds, as the inputs give it (text for numbers and times). */
export interface RoomFormState {
	title: string;
	description: string;
	/** Comma-separated, as typed; see {@link parseTopics}. */
	topics: string;
	/** `<input type="datetime-local">` value (local time), or '' for no planned start. */
	startsAt: string;
	visibility: Visibility;
	speakRequests: SpeakRequests;
	/** Who may write in the chat beside the stage. */
	chat: ChatMode;
	/** The room's language code ('' when not given). */
	language: string;
	maxSpeakers: string;
	cohosts: UserSummary[];
	guests: GuestEntry[];
}

/** The room being edited and its guests as loaded, which the form's changes are measured against. */
export interface RoomFormOriginal {
	/** The room as the API returned it. */
	room: Room;
	/** Its guest list. */
	guests: GuestEntry[];
}

/** A new room's form. */
export const emptyRoomForm: RoomFormState = {
	title: '',
	description: '',
	topics: '',
	startsAt: '',
	visibility: 'public',
	speakRequests: 'everyone',
	chat: 'everyone',
	language: '',
	maxSpeakers: String(ROOM_LIMITS.speakers.default),
	cohosts: [],
	guests: [],
};

/**
 * An ISO 8601 time as a `datetime-local` input value: that input works in local time without a zone,
 * while the API wants ISO 8601 in UTC. '' for no time.
 */
export function toLocalInput(iso: string | null): string {
	if (!iso) {
		return '';
	}
	const d = new Date(iso);
	const pad = (n: number) => String(n).padStart(2, '0');

	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form for editing `original`. */
export function roomFormFrom(original: RoomFormOriginal): RoomFormState {
	const { room, guests } = original;

	return {
		title: room.title,
		description: room.description,
		topics: room.topics.join(', '),
		startsAt: toLocalInput(room.scheduledFor),
		visibility: room.visibility,
		speakRequests: room.speakRequests,
		chat: room.chat ?? 'everyone',
		language: room.language ?? '',
		maxSpeakers: String(room.maxSpeakers),
		cohosts: room.cohosts,
		guests,
	};
}

// An unchanged start time is not sent again (on edit it may have passed, and would be refused).
function startChanged(form: RoomFormState, original: RoomFormOriginal | null): boolean {
	return toLocalInput(original?.room.scheduledFor ?? null) !== form.startsAt;
}

/** The form's problems by field (none: an empty object); `now` is ms since epoch. */
export function validateRoomForm(
	form: RoomFormState,
	original: RoomFormOriginal | null,
	now: number
): FieldErrors {
	const found: FieldErrors = {};
	const title = form.title.trim();
	if (!title) {
		found.title = { key: 'validation.required' };
	} else if (title.length > ROOM_LIMITS.title.max) {
		found.title = { key: 'validation.tooLong' };
	}
	if (form.description.length > ROOM_LIMITS.description.max) {
		found.description = { key: 'validation.tooLong' };
	}
	const topics = parseTopics(form.topics);
	if (topics.length > ROOM_LIMITS.topics || topics.some((topic) => topic.length > ROOM_LIMITS.topic.max)) {
		found.topics = { key: 'validation.topics' };
	}
	if (form.startsAt && startChanged(form, original) && new Date(form.startsAt).getTime() <= now) {
		found.startsAt = { key: 'validation.future' };
	}
	const max = Number(form.maxSpeakers);
	if (!Number.isInteger(max) || max < ROOM_LIMITS.speakers.min || max > ROOM_LIMITS.speakers.max) {
		found.maxSpeakers = { key: 'validation.maxSpeakers' };
	}

	return found;
}

/**
 * The body to create the room, or to update it when `editing`: trimmed text, parsed topics, and the
 * start time only when it changed (cleared with null when an edit empties it).
 */
export function roomBodyFrom(
	form: RoomFormState,
	original: RoomFormOriginal | null,
	editing: boolean
): CreateRoomBody {
	const body: CreateRoomBody = {
		title: form.title.trim(),
		description: form.description.trim(),
		topics: parseTopics(form.topics),
		visibility: form.visibility,
		speakRequests: form.speakRequests,
		chat: form.chat,
		maxSpeakers: Number(form.maxSpeakers),
	};
	if (form.language) {
		body.language = form.language;
	} else if (editing) {
		body.language = null;
	}
	const timeChanged = !original || startChanged(form, original);
	if (form.startsAt && timeChanged) {
		body.scheduledFor = new Date(form.startsAt).toISOString();
	} else if (editing && timeChanged) {
		body.scheduledFor = null;
	}

	return body;
}

/** The form field an API field error belongs to (the API's `scheduledFor` is the form's `startsAt`). */
export function formFieldErrors(fields: FieldErrors): FieldErrors {
	return fields.scheduledFor ? { ...fields, startsAt: fields.scheduledFor } : fields;
}
