import { networkInterfaces } from 'node:os';
import type { types } from 'mediasoup';
import type { SfuOptions } from './SfuTypes.js';

function defaultAnnouncedAddress(): string {
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) {
				return address.address;
			}
		}
	}

	return '127.0.0.1';
}

/** Builds the transports' listen infos: UDP preferred, TCP as fallback, same address and port range. */
export function listenInfosFor(
	options: Pick<SfuOptions, 'listenIp' | 'announcedAddress' | 'rtcMinPort' | 'rtcMaxPort'>
): types.TransportListenInfo[] {
	const ip = options.listenIp ?? '0.0.0.0';
	const wildcard = ip === '0.0.0.0' || ip === '::';
	const announcedAddress = options.announcedAddress ?? (wildcard ? defaultAnnouncedAddress() : undefined);
	const portRange = { min: options.rtcMinPort ?? 40000, max: options.rtcMaxPort ?? 49999 };
	if (portRange.min > portRange.max) {
		throw new TypeError(`RTC port range is empty (${portRange.min}–${portRange.max})`);
	}

	return (['udp', 'tcp'] as const).map((protocol) => ({
		protocol,
		ip,
		...(announcedAddress ? { announcedAddress } : {}),
		portRange,
	}));
}
