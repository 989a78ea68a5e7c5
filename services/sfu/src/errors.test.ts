import { ErrorCode } from '@majlis/protocol';
import { TokenError } from '@majlis/server-kit';
import { describe, expect, test } from 'vitest';
import { BannedError, ForbiddenError, StageFullError, toWireError } from './errors.js';

describe('toWireError()', () => {
	test('keeps the code and message of errors thrown on purpose', () => {
		expect(toWireError(new ForbiddenError('no'))).toEqual({ code: ErrorCode.Forbidden, message: 'no' });
		expect(toWireError(new StageFullError('full'))).toEqual({ code: ErrorCode.StageFull, message: 'full' });
		expect(toWireError(new BannedError('out'))).toEqual({ code: ErrorCode.Banned, message: 'out' });
	});

	test('maps ticket errors to ticket_expired and unauthorized', () => {
		expect(toWireError(new TokenError('expired', 'x')).code).toBe(ErrorCode.TicketExpired);
		expect(toWireError(new TokenError('invalid', 'x')).code).toBe(ErrorCode.Unauthorized);
	});

	test('hides the message of anything else behind internal', () => {
		const wire = toWireError(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'));
		expect(wire).toEqual({ code: ErrorCode.Internal, message: 'internal error' });
		expect(toWireError('a string')).toEqual({ code: ErrorCode.Internal, message: 'internal error' });
	});
});
