import type { Room } from '@majlis/protocol';
import { type Coturn, hasCoturn, startCoturn } from '@majlis/server-kit';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium, type RecordedPeerConnection, recordPeerConnections } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, expectAudioFlowing, hostSpeaks, joinRoom, visible, WAIT } from './room';
import { BrowserStack } from './stack';

/** For each open peer connection receiving audio: its ICE policy, the selected pair's local candidate type, packets in. */
function receivingConnections(page: Page) {
	return page.evaluate(async () => {
		const found: {
			policy: string | undefined;
			localType: string | null;
			remoteAddress: string | null;
			packets: number;
		}[] = [];
		for (const { pc, config } of (window as unknown as { __pcs: RecordedPeerConnection[] }).__pcs) {
			if (pc.connectionState === 'closed') {
				continue;
			}
			const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[];
			const byId = new Map(stats.map((s) => [s.id as string, s]));
			const packets = stats
				.filter((s) => s.type === 'inbound-rtp' && s.kind === 'audio')
				.reduce((sum, s) => sum + Number(s.packetsReceived ?? 0), 0);
			if (packets === 0) {
				continue;
			}
			const transport = stats.find((s) => s.type === 'transport');
			const pair = byId.get(String(transport?.selectedCandidatePairId));
			const local = byId.get(String(pair?.localCandidateId));
			const remote = byId.get(String(pair?.remoteCandidateId));
			found.push({
				policy: config?.iceTransportPolicy,
				localType: (local?.candidateType as string | undefined) ?? null,
				remoteAddress: (remote?.address as string | undefined) ?? null,
				packets,
			});
		}

		return found;
	});
}

/**
 * A network where the SFU cannot be reached directly: in every peer connection that allows all candidates,
 * the SFU's candidates (in the remote SDP) point at port 65535, where nothing listens, so ICE checks go
 * nowhere. Relay-only
 * connections are left alone: coturn still reaches the SFU, as on a network that lets only TURN out.
 */
async function blockDirectMedia(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const native = RTCPeerConnection.prototype.setRemoteDescription as (
			this: RTCPeerConnection,
			description?: RTCSessionDescriptionInit
		) => Promise<void>;
		RTCPeerConnection.prototype.setRemoteDescription = function (
			this: RTCPeerConnection,
			description?: RTCSessionDescriptionInit
		) {
			if (description?.sdp && this.getConfiguration().iceTransportPolicy !== 'relay') {
				const sdp = description.sdp.replace(
					/^(a=candidate:\S+ \d+ \S+ \d+ \S+ )\d+/gm,
					(_match, head: string) => `${head}65535`
				);
				return native.call(this, { type: description.type, sdp });
			}
			return native.call(this, description);
		} as typeof RTCPeerConnection.prototype.setRemoteDescription;
	});
}

describe.skipIf(!hasChromium() || !hasCoturn())('TURN: listeners on the relay', () => {
	let coturn: Coturn;
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let second: TestUser;
	let third: TestUser;
	let room: Room;
	const stack = new BrowserStack();

	beforeAll(async () => {
		coturn = await startCoturn();
		product = await startProduct({ env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret } });
		host = await product.signUp(uniqueHandle('salma'), 'Salma Haddad');
		listener = await product.signUp(uniqueHandle('karim'), 'Karim Aziz');
		second = await product.signUp(uniqueHandle('huda'), 'Huda Mansour');
		third = await product.signUp(uniqueHandle('omar'), 'Omar Farouk');
		room = await product.startRoom(host, { title: 'Behind the firewall' });
	});

	afterAll(async () => {
		await stack.close(product);
		await coturn?.stop();
	});

	test('hears the host through a real coturn: relay-only ICE, a relay candidate pair, audio energy', async () => {
		// The host joins normally (every candidate allowed) and speaks.
		const hostPage = await stack.signedIn(product.url, host, 440);
		await hostSpeaks(hostPage, room.id);

		// The listener's device is set to "Always connect through the relay server" (what the checkbox in
		// Connection details stores), as on a network that blocks direct media.
		const page = await stack.pageIn(
			await stack.browser(),
			{ baseURL: product.url, lang: 'en', token: listener.token },
			'listener',
			async (context) => {
				await context.addInitScript(() => localStorage.setItem('majlis.forceRelay', 'true'));
				await recordPeerConnections(context);
			}
		);
		await joinRoom(page, room.id);
		await visible(controls(page));

		// Sound arrives: packets and decoded audio energy grow (Connection details).
		await expectAudioFlowing(page);
		expect(
			await page.getByRole('checkbox', { name: 'Always connect through the relay server' }).isChecked()
		).toBe(true);
		await visible(page.getByRole('row', { name: 'Media route Through the relay server (TURN)' }), WAIT.media);

		// The open Connection details (route row, relay choice) are axe-clean, on a 360 px phone too.
		expect(await runAxe(page)).toEqual([]);
		await page.setViewportSize({ width: 360, height: 780 });
		const relayChoice = page.getByRole('checkbox', { name: 'Always connect through the relay server' });
		const box = await relayChoice.boundingBox();
		expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
		expect(await runAxe(page)).toEqual([]);
		await page.setViewportSize({ width: 1280, height: 860 });

		// WebRTC stats: the connection carrying the audio was made relay-only, and its selected pair's local
		// candidate is a TURN relay candidate.
		const receiving = await receivingConnections(page);
		expect(receiving.length).toBeGreaterThan(0);
		for (const connection of receiving) {
			expect(connection.policy).toBe('relay');
			expect(connection.localType).toBe('relay');
		}

		// coturn itself allocated a relay for the listener, with the credential the API issued (`<expiry>:<userId>`).
		expect(coturn.log()).toMatch(
			new RegExp(`user <[0-9]+:${listener.user.id}>.*ALLOCATE processed, success`)
		);

		// Another listener on the same machine without the setting goes direct: TURN is there when needed,
		// not forced on everyone.
		const direct = await stack.pageIn(
			page.context().browser()!,
			{ baseURL: product.url, lang: 'en', token: second.token },
			'direct listener',
			recordPeerConnections
		);
		await joinRoom(direct, room.id);
		await visible(controls(direct));
		await expectAudioFlowing(direct);
		await visible(direct.getByRole('row', { name: 'Media route Direct' }), WAIT.media);
		const directConnections = await receivingConnections(direct);
		expect(directConnections.length).toBeGreaterThan(0);
		for (const connection of directConnections) {
			expect(connection.policy).toBe('all');
			expect(connection.localType).not.toBe('relay');
		}
		expect(stack.pageErrors).toEqual([]);
	});
	test('a listener whose direct path gets nowhere falls back to the relay by itself and hears the host', async () => {
		const page = await stack.pageIn(
			await stack.browser(),
			{ baseURL: product.url, lang: 'en', token: third.token },
			'blocked listener',
			async (context) => {
				await blockDirectMedia(context);
				await recordPeerConnections(context);
			}
		);
		const warnings: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'warning') {
				warnings.push(message.text());
			}
		});
		await joinRoom(page, room.id);
		await visible(controls(page));
		// No "always use the relay" here: the client gives direct media a few seconds, then rejoins relay-only.
		expect(await page.evaluate(() => localStorage.getItem('majlis.forceRelay'))).toBeNull();
		await expectAudioFlowing(page);
		await visible(page.getByRole('row', { name: 'Media route Through the relay server (TURN)' }), WAIT.media);
		expect(warnings.some((w) => /direct media (slow|failed): rejoining through the TURN relay/.test(w))).toBe(
			true
		);
		const receiving = await receivingConnections(page);
		expect(receiving.length).toBeGreaterThan(0);
		for (const connection of receiving) {
			expect(connection.policy).toBe('relay');
			expect(connection.localType).toBe('relay');
		}
		expect(coturn.log()).toMatch(new RegExp(`user <[0-9]+:${third.user.id}>.*ALLOCATE processed, success`));
		expect(stack.pageErrors).toEqual([]);
	});
});
