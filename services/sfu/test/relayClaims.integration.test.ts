import { ErrorCode, type TicketClaims } from '@majlis/protocol';
import { createLogger, createTokenService } from '@majlis/server-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeBus } from '../src/cluster/NodeBus.js';
import { Harness, JWT_SECRET } from './support/harness.js';

// The origin re-verifies what a relay node says about a user (finding 3 of the security review): a relay
// forwards the user's join ticket and the origin reads the user from it. A rogue relay (one that holds
// the cluster secret, so its bus messages pass) cannot join someone as the host by naming them.

const tokens = createTokenService(JWT_SECRET);
let h: Harness;
let rogue: NodeBus;
const ROGUE_ID = `rogue-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
	h = await Harness.start();
	rogue = await NodeBus.create({
		bus: h.bus,
		nodeId: ROGUE_ID,
		onRequest: async () => {
			throw new Error('unused');
		},
		onMessage: () => {},
		log: createLogger('rogue', 'silent'),
	});
});
afterAll(async () => {
	await rogue?.close();
	await h?.close();
});

test("a relay's peer:join is refused unless its ticket is valid, for that room, through that relay", async () => {
	const host = await h.user('host');
	const room = await h.room(host);
	await h.join(host, room.id);
	const origin = h.node.sfu.nodeId;
	const claims: TicketClaims = {
		sub: host.user.id,
		rid: room.id,
		role: 'host',
		hdl: host.user.handle,
		name: host.user.displayName,
		sg: false,
		node: ROGUE_ID,
		org: origin,
	};
	const join = (ticket: string) =>
		rogue.request(origin, 'peer:join', { roomId: room.id, connId: '1', ticket });

	const unauthorized = { code: ErrorCode.Unauthorized };
	// No ticket worth the name, a ticket signed with another key, and expired ones.
	await expect(join('the host, trust me')).rejects.toMatchObject(unauthorized);
	const stranger = createTokenService('another-secret-that-is-32-bytes-long!!');
	await expect(join(await stranger.signTicket(claims))).rejects.toMatchObject(unauthorized);
	await expect(join(await tokens.signTicket(claims, -120))).rejects.toMatchObject(unauthorized);
	// Genuine tickets, but not for a join through this relay to this origin and room.
	const { org: _origin, ...direct } = claims;
	await expect(join(await tokens.signTicket({ ...direct, node: origin }))).rejects.toMatchObject(
		unauthorized
	);
	await expect(join(await tokens.signTicket({ ...claims, org: 'another-node' }))).rejects.toMatchObject(
		unauthorized
	);
	const otherRoom = await h.room(await h.user('other'));
	await expect(join(await tokens.signTicket({ ...claims, rid: otherRoom.id }))).rejects.toMatchObject(
		unauthorized
	);

	// The control: a matching ticket passes the check and only stops at the missing relay link.
	await expect(join(await tokens.signTicket(claims))).rejects.toMatchObject({ code: ErrorCode.Unavailable });
});
