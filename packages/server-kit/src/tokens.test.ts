import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { createTokenService, TokenError } from './tokens.js';

const secret = 'x'.repeat(32);
const claims = {
	sub: randomUUID(),
	rid: randomUUID(),
	role: 'listener' as const,
	hdl: 'sara',
	name: 'Sara',
	sg: false,
	node: 'node-1',
};

describe('createTokenService()', () => {
	test('verifyTicket() returns the claims of a ticket it signed', async () => {
		const tokens = createTokenService(secret);
		expect(await tokens.verifyTicket(await tokens.signTicket(claims))).toEqual(claims);
	});

	test('verifyTicket() refuses a ticket signed with another secret as invalid', async () => {
		const forged = await createTokenService('y'.repeat(32)).signTicket(claims);
		await expect(createTokenService(secret).verifyTicket(forged)).rejects.toMatchObject({
			reason: 'invalid',
		});
	});

	test('verifyTicket() refuses an expired ticket as expired', async () => {
		const tokens = createTokenService(secret);
		const expired = await tokens.signTicket(claims, -10);
		await expect(tokens.verifyTicket(expired)).rejects.toMatchObject({ reason: 'expired' });
	});

	test('verifyTicket() refuses a service token (wrong audience) and vice versa', async () => {
		const tokens = createTokenService(secret);
		await expect(tokens.verifyTicket(await tokens.signServiceToken('sfu'))).rejects.toBeInstanceOf(
			TokenError
		);
		await expect(tokens.verifyServiceToken(await tokens.signTicket(claims))).rejects.toBeInstanceOf(
			TokenError
		);
		expect(await tokens.verifyServiceToken(await tokens.signServiceToken('sfu'))).toBe('sfu');
	});

	test('verifyTicket() refuses a correctly signed ticket with bad claims', async () => {
		const key = new TextEncoder().encode(secret);
		const bad = await new SignJWT({ ...claims, role: 'admin' })
			.setProtectedHeader({ alg: 'HS256' })
			.setIssuer('majlis')
			.setAudience('majlis:sfu')
			.setExpirationTime('1m')
			.sign(key);
		await expect(createTokenService(secret).verifyTicket(bad)).rejects.toMatchObject({ reason: 'invalid' });
	});

	test('refuses a short secret', () => {
		expect(() => createTokenService('short')).toThrow(TypeError);
	});
});
