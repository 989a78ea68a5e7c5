// Majlis service worker. The build (serviceWorkerPlugin.ts) prepends `const BUILD = { version, precache }`:
// a version that changes with every build, so a new build installs a new worker (and the page offers
// to update), and the list of the app shell's files, whose names carry content hashes.
/* global BUILD */
const SHELL = `majlis-shell-${BUILD.version}`;
const OFFLINE_URL = '/offline.html';

self.addEventListener('install', (event) => {
	event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(BUILD.precache)));
});

self.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			const names = await caches.keys();
			await Promise.all(
				names.filter((n) => n.startsWith('majlis-shell-') && n !== SHELL).map((n) => caches.delete(n))
			);
			// The first install takes the open pages at once; later versions wait for the page's "update".
			await self.clients.claim();
		})()
	);
});

self.addEventListener('message', (event) => {
	if (event.data && event.data.type === 'skip-waiting') {
		self.skipWaiting();
	}
});

// Live data never comes from a cache: the API, signalling, recordings and anything cross-origin.
function bypass(url) {
	return url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/ws';
}

self.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') {
		return;
	}
	const url = new URL(request.url);
	if (bypass(url)) {
		return;
	}
	if (request.mode === 'navigate') {
		// Pages come from the network (a deployment is seen at once); without one, the offline page.
		event.respondWith(
			fetch(request).catch(
				async () => (await caches.match(OFFLINE_URL, { cacheName: SHELL })) ?? Response.error()
			)
		);

		return;
	}
	// Hashed assets never change under their name: the cache answers first, the network fills it.
	event.respondWith(
		(async () => {
			const cached = await caches.match(request, { cacheName: SHELL });
			if (cached) {
				return cached;
			}
			const response = await fetch(request);
			if (response.ok && url.pathname.startsWith('/assets/')) {
				const copy = response.clone();
				event.waitUntil(caches.open(SHELL).then((cache) => cache.put(request, copy)));
			}

			return response;
		})()
	);
});

// Reach: Web Push. The build prepends `const PUSH_TEXT = { en: {...}, ar: {...} }` (the `push.title.*` and
// `notif.kind.*` messages of the app's dictionaries). The payload is the server's PushPayload JSON.
/* global PUSH_TEXT */
function pushText(lang, key, vars) {
	const table = PUSH_TEXT[lang] || PUSH_TEXT.en;
	const template = table[key] || PUSH_TEXT.en[key] || '';

	return template.replace(/\{(\w+)\}/g, (whole, name) => (vars[name] === undefined ? whole : vars[name]));
}

self.addEventListener('push', (event) => {
	let payload;
	try {
		payload = event.data ? event.data.json() : null;
	} catch {
		payload = null;
	}
	if (!payload || typeof payload.kind !== 'string') {
		return;
	}
	const lang = (self.navigator.language || 'en').toLowerCase().startsWith('ar') ? 'ar' : 'en';
	const vars = { actor: payload.actorName || '', room: payload.roomTitle || '' };
	event.waitUntil(
		self.registration.showNotification(pushText(lang, `push.title.${payload.kind}`, vars), {
			body: pushText(lang, `notif.kind.${payload.kind}`, vars),
			dir: lang === 'ar' ? 'rtl' : 'ltr',
			lang,
			tag: payload.id,
			icon: '/icons/icon-192.png',
			data: { url: payload.url },
		})
	);
});

self.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const path = event.notification.data?.url;
	// Only paths of this app: a push payload must not send the person elsewhere.
	const url = new URL(typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path : '/', self.location.origin);
	event.waitUntil(
		(async () => {
			const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
			for (const client of windows) {
				if (new URL(client.url).origin === url.origin && 'focus' in client) {
					await client.focus();
					if ('navigate' in client) {
						await client.navigate(url.href);
					}

					return;
				}
			}
			await self.clients.openWindow(url.href);
		})()
	);
});
