import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Addresses a server must never be made to connect to on a user's behalf (link previews, webhooks):
// loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified,
// multicast and reserved ranges.
const PRIVATE = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 3],
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
	['::', 128],
	['::1', 128],
	['64:ff9b::', 96],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether `address` (an IP) is one the server must not connect to for a user. */
export function isPrivateAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) {
		return true;
	}
	// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
	if (mapped) {
		return PRIVATE.check(mapped, 'ipv4');
	}
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
	if (hex) {
		const [hi, lo] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];

		return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
	}

	return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The address a request to a user-given URL is pinned to. */
export interface PinnedAddress {
	address: string;
	family: number;
}

/** The user-given URL may not be fetched (private address, unresolvable name). */
export class UnsafeAddressError extends Error {
	/** Says why. */
	constructor(message: string) {
		super(message);
		this.name = 'UnsafeAddressError';
	}
}

/**
 * Resolves `url`'s host and checks every address it has: all must be public unless `allowPrivate` (a
 * documented dev/test setting). Connect to the returned address (a `lookup` that answers it), so DNS
 * cannot answer a private address between this check and the connection.
 */
export async function resolvePinned(
	url: URL,
	options: { allowPrivate?: boolean } = {}
): Promise<PinnedAddress> {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	let addresses: PinnedAddress[];
	try {
		addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
	} catch {
		throw new UnsafeAddressError('the host name does not resolve');
	}
	if (addresses.length === 0) {
		throw new UnsafeAddressError('the host name does not resolve');
	}
	if (!options.allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
		throw new UnsafeAddressError('the host resolves to a private address');
	}

	return addresses[0]!;
}

/** A `lookup` option for node:http(s) requests that always answers `pinned`. */
export function pinnedLookup(pinned: PinnedAddress) {
	return (
		_name: string,
		_options: unknown,
		callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void
	) => callback(null, pinned.address, pinned.family);
}
