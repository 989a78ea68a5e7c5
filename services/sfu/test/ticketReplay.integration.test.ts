import { CloseCode } from '@majlis/protocol';
import { createTokenService } from '@majlis/server-kit';
import { SignJWT } from 'jose';
import { expect, test } from 'vitest';
import { usedTicketKey } from '../src/signalling/ticketLedger.js';
import { type Harness, JWT_SECRET, useHarness } from './support/harness.js';
import { RequestError } from './support/TestClient.js';

// Join tickets are single-use (finding 6 of the security review): a replayed ticket is refused with
// ticket_used, while a client that reconnects the normal way (a new ticket from the API) gets in.

const tokens = createTokenService(JWT_SECRET);
let h: Harness;
useHarness((started) => {
	h = started;
});

async function refusal(url: string, ticket: string) {
	const client = await h.connect(url, 'replayer');
	const error = await client.join(ticket).then(
		() => undefined,
		(e: unknown) => e
	);

	return {
		error: error instanceof RequestError ? error.code : String(error),
		close: (await client.closed).code,
	};
}

test('a ticket joins once; the same ticket again is refused with ticket_used; a fresh ticket rejoins', async () => {
	const host = await h.user('host');
	const listener = await h.user('listener');
	const room = await h.room(host);
	await h.join(host, room.id);
	const { signallingUrl, ticket } = await h.ticket(listener, room.id);
	const first = await h.connect(signallingUrl, 'listener');
	await first.join(ticket);
	const { jti } = await tokens.verifyTicket(ticket);
	expect(await h.bus.get(usedTicketKey(jti!))).toBe(h.node.sfu.nodeId);

	// Replayed while the first socket is open, and again after it closed.
	expect(await refusal(signallingUrl, ticket)).toEqual({
		error: 'ticket_used',
		close: CloseCode.Unauthorized,
	});
	await first.close();
	expect(await refusal(signallingUrl, ticket)).toEqual({
		error: 'ticket_used',
		close: CloseCode.Unauthorized,
	});

	// The normal reconnect: a new ticket from the API.
	const again = await h.join(listener, room.id);
	expect(again.snapshot.self.userId).toBe(listener.user.id);
});

test('re-signing the same claims gives a new id; a ticket without an id is refused', async () => {
	const host = await h.user('host');
	const room = await h.room(host);
	const { signallingUrl, ticket } = await h.ticket(host, room.id);
	const claims = await tokens.verifyTicket(ticket);
	const resigned = await tokens.signTicket(claims);
	expect((await tokens.verifyTicket(resigned)).jti).not.toBe(claims.jti);
	const client = await h.connect(signallingUrl, 'host');
	await client.join(resigned);

	// A ticket signed without jti (as before single-use tickets) names no id to record.
	const { jti: _jti, ...rest } = claims;
	const noId = await new SignJWT({ ...rest })
		.setProtectedHeader({ alg: 'HS256' })
		.setIssuer('majlis')
		.setAudience('majlis:sfu')
		.setIssuedAt()
		.setExpirationTime('60s')
		.sign(new TextEncoder().encode(JWT_SECRET));
	expect(await refusal(signallingUrl, noId)).toEqual({
		error: 'unauthorized',
		close: CloseCode.Unauthorized,
	});
});
