import { TICKET_TTL_SECONDS } from '@majlis/protocol';
import type { Bus } from '@majlis/server-kit';

/**
 * How long a used ticket id is remembered: past the ticket's own expiry, with room for clocks that
 * disagree by up to a minute (a replay after that is refused as expired).
 */
export const USED_TICKET_TTL_MS = (TICKET_TTL_SECONDS + 60) * 1000;

/** Key of a used ticket id on the bus. */
export function usedTicketKey(jti: string): string {
	return `majlis:ticket-used:${jti}`;
}

/**
 * Records ticket ids as they are used (finding 6 of the security review): true the first time an id is
 * claimed, on any node of the cluster (SET NX on the shared bus), false for a replay.
 */
export function ticketLedger(bus: Bus, nodeId: string): (jti: string) => Promise<boolean> {
	return (jti) => bus.setIfAbsent(usedTicketKey(jti), nodeId, USED_TICKET_TTL_MS);
}
