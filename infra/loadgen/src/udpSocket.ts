import { createSocket, type Socket } from 'node:dgram';

/** A UDP/IPv4 socket bound to a free port on `ip`. */
export async function bindUdpSocket(ip: string): Promise<Socket> {
	const socket = createSocket('udp4');
	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.bind(0, ip, () => {
			socket.off('error', reject);
			resolve();
		});
	});
	// Later errors (e.g. ICMP port unreachable once the SFU side is closed) must not crash the generator.
	socket.on('error', () => {});
	return socket;
}

/** Closes a socket; resolves also if it was closed already. */
export function closeUdpSocket(socket: Socket): Promise<void> {
	return new Promise((resolve) => {
		try {
			socket.close(() => resolve());
		} catch {
			resolve();
		}
	});
}
