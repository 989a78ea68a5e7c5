import { describe, expect, test } from 'vitest';
import { MicError, mapGetUserMediaError } from './micErrors';

describe('mapGetUserMediaError()', () => {
	test.each([
		['NotAllowedError', MicError.PermissionDenied],
		['PermissionDeniedError', MicError.PermissionDenied],
		['SecurityError', MicError.PermissionDenied],
		['NotFoundError', MicError.NotFound],
		['DevicesNotFoundError', MicError.NotFound],
		['OverconstrainedError', MicError.NotFound],
		['NotReadableError', MicError.DeviceInUse],
		['TrackStartError', MicError.DeviceInUse],
		['AbortError', MicError.DeviceInUse],
		['TypeError', MicError.Other],
		['SomethingNew', MicError.Other],
	])('DOMException %s → %s', (name, expected) => {
		expect(mapGetUserMediaError(new DOMException('getUserMedia failed', name))).toBe(expected);
	});

	test('anything that is not an error maps to Other', () => {
		expect(mapGetUserMediaError(undefined)).toBe(MicError.Other);
		expect(mapGetUserMediaError('denied')).toBe(MicError.Other);
		expect(mapGetUserMediaError(new TypeError('no mediaDevices'))).toBe(MicError.Other);
	});
});
