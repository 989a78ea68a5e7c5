import { useCallback, useEffect, useState } from 'react';
import { deletePushSubscription, fetchPushKey, savePushSubscription } from './notificationsApi';

/** Where push stands on this browser. */
export type PushStatus = 'loading' | 'unsupported' | 'off-server' | 'denied' | 'on' | 'off';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
	const text = atob(
		base64url
			.replace(/-/g, '+')
			.replace(/_/g, '/')
			.padEnd(Math.ceil(base64url.length / 4) * 4, '=')
	);
	const bytes = new Uint8Array(new ArrayBuffer(text.length));
	for (let i = 0; i < text.length; i++) {
		bytes[i] = text.charCodeAt(i);
	}

	return bytes;
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
	if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
		return null;
	}

	return (await navigator.serviceWorker.getRegistration()) ?? null;
}

/** This browser's Web Push subscription: its status, and turning it on (asks permission) or off. */
export function usePush() {
	const [status, setStatus] = useState<PushStatus>('loading');
	const [key, setKey] = useState<string | null>(null);

	useEffect(() => {
		let live = true;
		void (async () => {
			const reg = await registration();
			const publicKey = await fetchPushKey();
			if (!live) {
				return;
			}
			setKey(publicKey);
			if (!reg) {
				setStatus('unsupported');
			} else if (!publicKey) {
				setStatus('off-server');
			} else if (Notification.permission === 'denied') {
				setStatus('denied');
			} else {
				setStatus((await reg.pushManager.getSubscription()) ? 'on' : 'off');
			}
		})();

		return () => {
			live = false;
		};
	}, []);

	const enable = useCallback(async () => {
		const reg = await registration();
		if (!reg || !key) {
			return;
		}
		if ((await Notification.requestPermission()) !== 'granted') {
			setStatus('denied');

			return;
		}
		const subscription = await reg.pushManager.subscribe({
			userVisibleOnly: true,
			applicationServerKey: keyBytes(key),
		});
		await savePushSubscription(subscription.toJSON());
		setStatus('on');
	}, [key]);

	const disable = useCallback(async () => {
		const subscription = await (await registration())?.pushManager.getSubscription();
		if (subscription) {
			await deletePushSubscription(subscription.endpoint).catch(() => undefined);
			await subscription.unsubscribe();
		}
		setStatus('off');
	}, []);

	return { status, enable, disable };
}
