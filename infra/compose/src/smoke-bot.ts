// The compose smoke's check that audio flows (smoke.sh): through the API container a host signs up,
// schedules a room and starts it; she joins the SFU container over real WebRTC (werift) and speaks; a
// listener bot, also real WebRTC, must receive her Opus packets. Exits 0 when it hears her, 1 otherwise.
// Usage: tsx infra/compose/src/smoke-bot.ts <API base URL>
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { rest, SignallingClient, WebRtcListener, WebRtcSendTransport } from '@majlis/loadgen';

/** Packets the listener must receive from the host (20 ms each: about 2 s of speech). */
const MIN_PACKETS = 100;
const TIMEOUT_MS = 20_000;

type Join = { signallingUrl: string; ticket: string };

async function signup(apiUrl: string, who: string): Promise<string> {
	const handle = `${who}_${randomBytes(3).toString('hex')}`;
	const { token } = await rest<{ token: string }>(apiUrl, 'POST', '/api/auth/signup', undefined, {
		handle,
		displayName: who,
		password: randomBytes(12).toString('hex'),
	});

	return token;
}

async function main(apiUrl: string): Promise<number> {
	const hostToken = await signup(apiUrl, 'host');
	const listenerToken = await signup(apiUrl, 'listener');
	const room = await rest<{ id: string }>(apiUrl, 'POST', '/api/rooms', hostToken, {
		title: 'Compose smoke',
		visibility: 'public',
	});
	await rest(apiUrl, 'POST', `/api/rooms/${room.id}/start`, hostToken);
	console.error(`[smoke-bot] room ${room.id} is live`);

	const hostJoin = await rest<Join>(apiUrl, 'POST', `/api/rooms/${room.id}/join`, hostToken);
	const host = await SignallingClient.connect(hostJoin.signallingUrl);
	const listenerJoin = await rest<Join>(apiUrl, 'POST', `/api/rooms/${room.id}/join`, listenerToken);
	let listener: WebRtcListener | undefined;
	let send: WebRtcSendTransport | undefined;
	try {
		await host.join(hostJoin.ticket);
		send = await WebRtcSendTransport.create(host);
		await send.produce();
		await host.request('mic:unmute', {});
		send.startTone(20);
		listener = await WebRtcListener.join({ url: listenerJoin.signallingUrl, ticket: listenerJoin.ticket });
		const deadline = Date.now() + TIMEOUT_MS;
		while (listener.totals().packets < MIN_PACKETS && Date.now() < deadline) {
			await sleep(100);
		}
		const { packets, lost } = listener.totals();
		console.error(
			`[smoke-bot] the listener received ${packets} packets from the host (${lost} lost; ${send.sent} sent)`
		);
		if (packets < MIN_PACKETS) {
			console.error(
				`[smoke-bot] FAIL: fewer than ${MIN_PACKETS} packets within ${TIMEOUT_MS} ms`,
				listener.errors
			);
			return 1;
		}
		await rest(apiUrl, 'POST', `/api/rooms/${room.id}/end`, hostToken);

		return 0;
	} finally {
		await listener?.close();
		await send?.close();
		await host.close();
	}
}

const apiUrl = process.argv[2];
if (!apiUrl) {
	console.error('usage: tsx infra/compose/src/smoke-bot.ts <API base URL>');
	process.exit(2);
}
main(apiUrl).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error('[smoke-bot] FAIL:', error);
		process.exit(1);
	}
);
