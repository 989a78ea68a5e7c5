import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../../errors.js';
import { createRoomInput, updateRoomInput } from './room-input.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');

function fieldsOf(fn: () => unknown): Record<string, string> | undefined {
	try {
		fn();
	} catch (error) {
		if (error instanceof ValidationError) {
			return error.fields;
		}
		throw error;
	}

	return undefined;
}

describe('createRoomInput()', () => {
	test('fills defaults and trims', () => {
		expect(
			createRoomInput({ title: '  Hello ', visibility: 'public', topics: [' Music ', 'music', 'Tech'] }, NOW)
		).toEqual({
			title: 'Hello',
			description: '',
			topics: ['Music', 'Tech'],
			scheduledFor: null,
			visibility: 'public',
			speakRequests: 'everyone',
			maxSpeakers: 13,
			chat: 'everyone',
			language: null,
		});
	});

	test('names every bad field at once', () => {
		expect(
			fieldsOf(() =>
				createRoomInput(
					{ title: '   ', visibility: 'private', topics: ['ok', '  '], scheduledFor: '2029-12-31T23:59:59Z' },
					NOW
				)
			)
		).toEqual({
			title: 'must be 1–100 characters',
			'topics.1': 'must be 1–30 characters',
			scheduledFor: 'must be in the future',
		});
	});

	test('scheduledFor now is not in the future; a millisecond later is', () => {
		expect(
			fieldsOf(() =>
				createRoomInput({ title: 't', visibility: 'public', scheduledFor: NOW.toISOString() }, NOW)
			)
		).toEqual({
			scheduledFor: 'must be in the future',
		});
		const later = createRoomInput(
			{ title: 't', visibility: 'public', scheduledFor: '2030-01-01T00:00:00.001Z' },
			NOW
		);
		expect(later.scheduledFor?.toISOString()).toBe('2030-01-01T00:00:00.001Z');
	});
});

describe('updateRoomInput()', () => {
	test('maps only the fields sent; null clears scheduledFor', () => {
		expect(updateRoomInput({ maxSpeakers: 5, scheduledFor: null }, NOW)).toEqual({
			max_speakers: 5,
			scheduled_for: null,
		});
		expect(updateRoomInput({}, NOW)).toEqual({});
	});

	test('refuses a blank title', () => {
		expect(fieldsOf(() => updateRoomInput({ title: ' ' }, NOW))).toEqual({
			title: 'must be 1–100 characters',
		});
	});
});
