import { lookup as dnsLookup } from 'node:dns';
import { Agent, type AgentOptions } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Addresses a push endpoint must never resolve to: the server would be made to call into its own
// network. Loopback is allowed only by PUSH_ALLOW_LOOPBACK (tests run their own push service).
const PRIVATE = new BlockList();
const LOOPBACK = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
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
	['64:ff9b::', 96],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv6');
}
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether a push may be sent to `address` (an IP). */
export function isAllowedPushAddress(address: string, allowLoopback: boolean): boolean {
	const family = isIP(address);
	if (family === 0) {
		return false;
	}
	// An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
	const [ip, type] = mapped
		? [mapped, 'ipv4' as const]
		: [address, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
	if (PRIVATE.check(ip, type)) {
		return false;
	}

	return allowLoopback || !LOOPBACK.check(ip, type);
}

/** Why an endpoint URL is refused at subscription, or null when it may be used. */
export function pushEndpointProblem(endpoint: string, allowLoopback: boolean): string | null {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return 'must be a URL';
	}
	if (url.protocol !== 'https:') {
		return 'must be an https URL';
	}
	if (url.username || url.password) {
		return 'must not carry credentials';
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (isIP(host) !== 0 && !isAllowedPushAddress(host, allowLoopback)) {
		return 'must be a public address';
	}
	if (!allowLoopback && (host === 'localhost' || host.endsWith('.localhost'))) {
		return 'must be a public address';
	}

	return null;
}

/**
 * The HTTPS agent pushes go through: it checks the address each connection actually resolves to (a
 * host name checked at subscription time could later point inside), so the rule holds at send time.
 */
export function pushAgent(allowLoopback: boolean, extra: AgentOptions = {}): Agent {
	const lookup: LookupFunction = (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) {
				callback(error, '', 0);

				return;
			}
			const list = addresses as unknown as { address: string; family: number }[];
			const allowed = list.filter((a) => isAllowedPushAddress(a.address, allowLoopback));
			if (allowed.length === 0) {
				callback(
					Object.assign(new Error(`push endpoint ${hostname} is not a public address`), { code: 'EACCES' }),
					'',
					0
				);

				return;
			}
			if (options.all) {
				(callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
			} else {
				callback(null, allowed[0]!.address, allowed[0]!.family);
			}
		});
	};

	return new Agent({ keepAlive: true, maxSockets: 16, ...extra, lookup });
}
