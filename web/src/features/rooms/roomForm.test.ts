import { ROOM_LIMITS, type Room, type UserSummary } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import {
	emptyRoomForm,
	formFieldErrors,
	type RoomFormOriginal,
	type RoomFormState,
	roomBodyFrom,
	roomFormFrom,
	toLocalInput,
	validateRoomForm,
} from './roomForm';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const sara: UserSummary = { id: '00000000-0000-4000-8000-000000000001', handle: 'sara', displayName: 'Sara' };
const omar: UserSummary = { id: '00000000-0000-4000-8000-000000000002', handle: 'omar', displayName: 'Omar' };

function room(overrides: Partial<Room> = {}): Room {
	return {
		id: '00000000-0000-4000-8000-0000000000aa',
		title: 'Evening majlis',
		description: 'About design',
		topics: ['design', 'music'],
		scheduledFor: new Date(NOW + HOUR).toISOString(),
		visibility: 'public',
		speakRequests: 'everyone',
		maxSpeakers: 10,
		state: 'scheduled',
		host: sara,
		cohosts: [omar],
		moderators: [],
		listenerCount: 0,
		startedAt: null,
		endedAt: null,
		createdAt: new Date(NOW - HOUR).toISOString(),
		updatedAt: new Date(NOW - HOUR).toISOString(),
		...overrides,
	};
}

function form(overrides: Partial<RoomFormState> = {}): RoomFormState {
	return { ...emptyRoomForm, title: 'Evening majlis', ...overrides };
}

describe('emptyRoomForm', () => {
	test('starts with the default stage size and no lists', () => {
		expect(emptyRoomForm.maxSpeakers).toBe(String(ROOM_LIMITS.speakers.default));
		expect(emptyRoomForm.cohosts).toEqual([]);
		expect(emptyRoomForm.guests).toEqual([]);
	});
});

describe('toLocalInput()', () => {
	test('gives the local time to the minute, as a datetime-local input wants it', () => {
		const local = new Date(2026, 0, 2, 3, 4, 59);
		expect(toLocalInput(local.toISOString())).toBe('2026-01-02T03:04');
		expect(new Date(toLocalInput(local.toISOString())).getTime()).toBe(local.getTime() - 59_000);
	});

	test('gives an empty value for no time', () => {
		expect(toLocalInput(null)).toBe('');
	});
});

describe('roomFormFrom()', () => {
	test('fills the form with the room as loaded', () => {
		const original: RoomFormOriginal = { room: room(), guests: [{ user: sara, kind: 'listener' }] };
		expect(roomFormFrom(original)).toEqual({
			title: 'Evening majlis',
			description: 'About design',
			topics: 'design, music',
			startsAt: toLocalInput(original.room.scheduledFor),
			visibility: 'public',
			speakRequests: 'everyone',
			chat: 'everyone',
			language: '',
			maxSpeakers: '10',
			cohosts: [omar],
			guests: [{ user: sara, kind: 'listener' }],
		});
	});
});

describe('validateRoomForm()', () => {
	test('accepts a filled-in form', () => {
		expect(validateRoomForm(form({ topics: 'a, b, c' }), null, NOW)).toEqual({});
	});

	test.each([
		['a blank title', { title: '   ' }, 'title', 'validation.required'],
		[
			'a title over the limit',
			{ title: 'x'.repeat(ROOM_LIMITS.title.max + 1) },
			'title',
			'validation.tooLong',
		],
		[
			'a description over the limit',
			{ description: 'x'.repeat(ROOM_LIMITS.description.max + 1) },
			'description',
			'validation.tooLong',
		],
		['too many topics', { topics: 'a, b, c, d' }, 'topics', 'validation.topics'],
		[
			'a topic over the limit',
			{ topics: 'x'.repeat(ROOM_LIMITS.topic.max + 1) },
			'topics',
			'validation.topics',
		],
		['no stage size', { maxSpeakers: '' }, 'maxSpeakers', 'validation.maxSpeakers'],
		['a fractional stage size', { maxSpeakers: '2.5' }, 'maxSpeakers', 'validation.maxSpeakers'],
		[
			'a stage over the limit',
			{ maxSpeakers: String(ROOM_LIMITS.speakers.max + 1) },
			'maxSpeakers',
			'validation.maxSpeakers',
		],
	])('names %s', (_name, overrides, field, key) => {
		expect(validateRoomForm(form(overrides), null, NOW)).toEqual({ [field]: { key } });
	});

	test('keeps the limits themselves and trims the title before measuring it', () => {
		const atLimits = form({
			title: ` ${'x'.repeat(ROOM_LIMITS.title.max)} `,
			description: 'x'.repeat(ROOM_LIMITS.description.max),
			topics: Array.from({ length: ROOM_LIMITS.topics }, (_, i) =>
				`${i}`.padEnd(ROOM_LIMITS.topic.max, 'x')
			).join(','),
			maxSpeakers: String(ROOM_LIMITS.speakers.min),
		});
		expect(validateRoomForm(atLimits, null, NOW)).toEqual({});
	});

	test('wants a new start time in the future, but lets an unchanged past one stand on edit', () => {
		const past = toLocalInput(new Date(NOW - HOUR).toISOString());
		expect(validateRoomForm(form({ startsAt: past }), null, NOW)).toEqual({
			startsAt: { key: 'validation.future' },
		});
		const original = { room: room({ scheduledFor: new Date(NOW - HOUR).toISOString() }), guests: [] };
		expect(validateRoomForm(form({ startsAt: past }), original, NOW)).toEqual({});
		const future = toLocalInput(new Date(NOW + 2 * HOUR).toISOString());
		expect(validateRoomForm(form({ startsAt: future }), null, NOW)).toEqual({});
	});
});

describe('roomBodyFrom()', () => {
	test('trims the text, parses the topics and sends a new start time in UTC', () => {
		const startsAt = toLocalInput(new Date(NOW + HOUR).toISOString());
		expect(
			roomBodyFrom(
				form({
					title: ' Majlis ',
					description: ' about \n',
					topics: '#design, music',
					startsAt,
					maxSpeakers: '7',
				}),
				null,
				false
			)
		).toEqual({
			title: 'Majlis',
			description: 'about',
			topics: ['design', 'music'],
			visibility: 'public',
			speakRequests: 'everyone',
			chat: 'everyone',
			maxSpeakers: 7,
			scheduledFor: new Date(startsAt).toISOString(),
		});
	});

	test('sends no start time for a new room without one', () => {
		expect(roomBodyFrom(form(), null, false)).not.toHaveProperty('scheduledFor');
	});

	test('on edit, sends the start time only when it changed, and null when it was cleared', () => {
		const original = { room: room(), guests: [] };
		const loaded = roomFormFrom(original);
		expect(roomBodyFrom(loaded, original, true)).not.toHaveProperty('scheduledFor');
		expect(roomBodyFrom({ ...loaded, startsAt: '' }, original, true).scheduledFor).toBeNull();
		const later = toLocalInput(new Date(NOW + 3 * HOUR).toISOString());
		expect(roomBodyFrom({ ...loaded, startsAt: later }, original, true).scheduledFor).toBe(
			new Date(later).toISOString()
		);
	});
});

describe('formFieldErrors()', () => {
	test("shows the API's scheduledFor problem on the start time field", () => {
		const problem = { text: 'must be in the future' };
		expect(formFieldErrors({ scheduledFor: problem })).toEqual({ scheduledFor: problem, startsAt: problem });
		expect(formFieldErrors({ title: problem })).toEqual({ title: problem });
	});
});
