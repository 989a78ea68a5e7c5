import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { createTokenService, generateTicketKeys, TokenError } from './tokens.js';

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
		// With a fresh id of its own (single use): two tickets of the same claims differ.
		const first = await tokens.verifyTicket(await tokens.signTicket(claims));
		expect(first).toEqual({ ...claims, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) });
		expect((await tokens.verifyTicket(await tokens.signTicket(claims))).jti).not.toBe(first.jti);
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

describe('createTokenService() with separated keys', () => {
	const pair = generateTicketKeys();
	const serviceSecret = 's'.repeat(32);
	const api = createTokenService({
		serviceSecret,
		ticketPublicKey: pair.publicKey,
		ticketPrivateKey: pair.privateKey,
	});
	// What an SFU node holds: the public key and the service secret, no private key.
	const node = createTokenService({ serviceSecret, ticketPublicKey: pair.publicKey });

	test('tickets are EdDSA: signed by the API, verified by a node with the public key alone', async () => {
		const ticket = await api.signTicket(claims);
		expect(JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString())).toMatchObject({
			alg: 'EdDSA',
		});
		expect(await node.verifyTicket(ticket)).toEqual({ ...claims, jti: expect.any(String) });
	});

	test('a node cannot sign tickets, and what it could forge with what it holds is refused', async () => {
		await expect(node.signTicket(claims)).rejects.toThrow(/cannot sign tickets/);
		const key = (text: string) => new TextEncoder().encode(text);
		const forge = (secret: Uint8Array) =>
			new SignJWT({ ...claims })
				.setProtectedHeader({ alg: 'HS256' })
				.setIssuer('majlis')
				.setAudience('majlis:ticket')
				.setExpirationTime('1m')
				.sign(secret);
		// Algorithm confusion: the public key used as an HMAC secret.
		await expect(api.verifyTicket(await forge(key(pair.publicKey)))).rejects.toMatchObject({
			reason: 'invalid',
		});
		// The service secret does not sign tickets either.
		await expect(api.verifyTicket(await forge(key(serviceSecret)))).rejects.toMatchObject({
			reason: 'invalid',
		});
		// Another key pair's tickets are refused.
		const other = generateTicketKeys();
		const stranger = createTokenService({
			serviceSecret,
			ticketPublicKey: other.publicKey,
			ticketPrivateKey: other.privateKey,
		});
		await expect(node.verifyTicket(await stranger.signTicket(claims))).rejects.toMatchObject({
			reason: 'invalid',
		});
	});

	test('service tokens use the service secret, and are not tickets', async () => {
		const token = await node.signServiceToken('sfu');
		expect(await api.verifyServiceToken(token)).toBe('sfu');
		await expect(api.verifyTicket(token)).rejects.toMatchObject({ reason: 'invalid' });
		await expect(
			createTokenService({
				serviceSecret: 't'.repeat(32),
				ticketPublicKey: pair.publicKey,
			}).verifyServiceToken(token)
		).rejects.toMatchObject({ reason: 'invalid' });
	});
});
