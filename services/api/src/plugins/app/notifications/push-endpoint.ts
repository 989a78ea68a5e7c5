import { lookup as dnsLookup } from 'node:dns';
import { Agent, type AgentOptions } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '@majlis/server-kit';

// A push endpoint must never resolve to an address of the server's own network (server-kit's rule, the
// one link previews and webhooks follow). Loopback is allowed only by PUSH_ALLOW_LOOPBACK: tests run
// their own push service.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether a push may be sent to `address` (an IP). */
export function isAllowedPushAddress(address: string, allowLoopback: boolean): boolean {
	if (!isPrivateAddress(address)) {
		return true;
	}
	if (!allowLoopback) {
		return false;
	}
	// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];

	return mapped ? LOOPBACK.check(mapped, 'ipv4') : LOOPBACK.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
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
