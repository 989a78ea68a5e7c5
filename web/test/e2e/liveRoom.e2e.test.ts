import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium } from './browser';
import { PASSWORD, type Product, startProduct, uniqueHandle } from './product';
import {
	controls,
	endRoom,
	expectAudioFlowing,
	expectAudioStopped,
	readCounters,
	stageMember,
	visible,
	WAIT,
} from './room';
import { BrowserStack } from './stack';

describe.skipIf(!hasChromium())('a live room in three browsers', () => {
	let product: Product;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
	});

	afterAll(() => stack.close(product));

	test('host signs up, schedules and starts; a listener hears them, is brought on stage and heard; a co-host mutes them; the host ends it', async () => {
		const title = 'Evening majlis: stories from Beirut';
		const hostName = 'Layla Nasser';
		const cohost = await product.signUp(uniqueHandle('yusuf'), 'Yusuf Haddad');
		const listener = await product.signUp(uniqueHandle('sara'), 'Sara Ahmed');
		const listenerName = listener.user.displayName;

		// The host signs up in the browser.
		const host = await stack.page({ baseURL: product.url, lang: 'en', frequency: 440 });
		await host.goto('/');
		await host.getByRole('link', { name: 'Sign up' }).click();
		await host.getByLabel('Handle', { exact: true }).fill(uniqueHandle('layla'));
		await host.getByLabel('Display name', { exact: true }).fill(hostName);
		await host.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await host.getByRole('button', { name: 'Sign up' }).click();
		await visible(host.getByRole('button', { name: 'Log out' }));

		// …schedules a room with a co-host…
		await host.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New room' }).click();
		await host.getByLabel('Title', { exact: true }).fill(title);
		await host.getByLabel('Description', { exact: true }).fill('Memories, music and the city at night.');
		await host.getByLabel('Topics', { exact: true }).fill('culture, stories');
		await host.getByLabel('Find co-hosts').fill(cohost.user.handle);
		await host.getByRole('button', { name: `Add ${cohost.user.displayName}` }).click();
		await host.getByRole('button', { name: 'Schedule room' }).click();
		await visible(host.getByRole('heading', { level: 1, name: title }));
		const roomPath = new URL(host.url()).pathname;
		expect(roomPath).toMatch(/^\/rooms\/[^/]+$/);

		// …starts it (which joins) and unmutes.
		await host.getByRole('button', { name: 'Start room' }).click();
		await controls(host).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(host).getByText('You are live'));

		// A listener finds it live on the home page, joins, and really receives the host's tone.
		const audience = await stack.signedIn(product.url, listener, 660);
		await audience.goto('/');
		await audience.getByRole('article', { name: title }).getByRole('button', { name: 'Join' }).click();
		await visible(stageMember(audience, hostName));
		await visible(controls(audience).getByRole('button', { name: 'Request to speak' }));
		await expectAudioFlowing(audience);

		// The co-host joins; co-hosts come on stage muted.
		const cohostPage = await stack.signedIn(product.url, cohost, 880);
		await cohostPage.goto(roomPath);
		await cohostPage.getByRole('button', { name: 'Join', exact: true }).click();
		await visible(controls(cohostPage).getByRole('button', { name: 'Unmute' }));
		await visible(stageMember(host, cohost.user.displayName));

		// The listener asks to speak; the host invites them; they accept and come up muted.
		await controls(audience).getByRole('button', { name: 'Request to speak' }).click();
		const hand = host
			.getByRole('region', { name: 'Requests to speak' })
			.getByRole('listitem', { name: listenerName });
		await hand.getByRole('button', { name: 'Invite to speak' }).click();
		await audience.getByRole('button', { name: 'Accept' }).click();
		await visible(stageMember(host, listenerName));
		const unmute = controls(audience).getByRole('button', { name: 'Unmute' });
		await visible(unmute);
		await visible(controls(audience).getByText('You are muted'));

		// Everyone but the host is muted now: the host receives nothing…
		await expectAudioStopped(host);
		// …until the listener unmutes; then the host hears them.
		await unmute.click();
		await visible(controls(audience).getByText('You are live'));
		await expectAudioFlowing(host);
		expect((await readCounters(audience)).sent).toBeGreaterThan(0);

		// The co-host mutes the new speaker from the stage: their audio stops reaching the host.
		await stageMember(cohostPage, listenerName).getByRole('button').click();
		await cohostPage
			.getByRole('dialog', { name: listenerName })
			.getByRole('button', { name: 'Mute' })
			.click();
		await visible(controls(audience).getByRole('button', { name: 'Unmute' }));
		await visible(controls(audience).getByText('You are muted'));
		await expectAudioStopped(host);

		// The host ends the room; the listener (now a muted speaker) and the co-host see that it ended.
		await endRoom(host);
		for (const page of [audience, cohostPage]) {
			await visible(page.getByRole('alert').filter({ hasText: 'The host ended this room.' }), WAIT.ui);
			await expect.poll(() => controls(page).count(), { timeout: WAIT.ui }).toBe(0);
		}
		expect(stack.pageErrors).toEqual([]);
	});
});
