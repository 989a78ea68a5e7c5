import { type InstallPromptEvent, usePwaStore } from './usePwaStore';

let waiting: ServiceWorker | null = null;

function watch(registration: ServiceWorkerRegistration): void {
	const offer = (worker: ServiceWorker | null) => {
		// Only an update waits behind a controller; the first install has nothing to replace.
		if (worker && navigator.serviceWorker.controller) {
			waiting = worker;
			usePwaStore.setState({ updateReady: true });
		}
	};
	offer(registration.waiting);
	registration.addEventListener('updatefound', () => {
		const installing = registration.installing;
		installing?.addEventListener('statechange', () => {
			if (installing.state === 'installed') {
				offer(installing);
			}
		});
	});
}

/**
 * Registers `/sw.js` (production builds only; the dev server has no worker) and listens for the
 * browser's install offer. Safe to call where service workers are missing (an insecure origin).
 */
export function registerServiceWorker(): void {
	window.addEventListener('beforeinstallprompt', (event) => {
		// Keep the offer for our own button instead of the browser's mini-infobar.
		event.preventDefault();
		usePwaStore.setState({ installPrompt: event as InstallPromptEvent });
	});
	window.addEventListener('appinstalled', () => usePwaStore.setState({ installPrompt: null }));
	if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
		return;
	}
	let reloading = false;
	navigator.serviceWorker.addEventListener('controllerchange', () => {
		// Reload only when the person asked for the update; the first install just takes control.
		if (waiting && !reloading) {
			reloading = true;
			window.location.reload();
		}
	});
	window.addEventListener('load', () => {
		navigator.serviceWorker.register('/sw.js').then(watch, (error: unknown) => {
			console.warn('registerServiceWorker | registration failed', error);
		});
	});
}

/** Activates the waiting version; the page reloads once it controls it. */
export function applyUpdate(): void {
	waiting?.postMessage({ type: 'skip-waiting' });
}

/** Shows the browser's install dialog, if it offered one. */
export async function promptInstall(): Promise<void> {
	const event = usePwaStore.getState().installPrompt;
	if (!event) {
		return;
	}
	usePwaStore.setState({ installPrompt: null });
	await event.prompt();
}
