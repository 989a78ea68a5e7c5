import { useSyncExternalStore } from 'react';

/** The pages of the app and their parameters. */
export type Route =
	| { name: 'home' }
	| { name: 'login'; next: string | null }
	| { name: 'signup'; next: string | null }
	| { name: 'schedule' }
	| { name: 'edit'; id: string }
	| { name: 'room'; id: string }
	| { name: 'replay'; id: string }
	// The embeddable player (#18): a page for other sites' iframes, without the app's header.
	| { name: 'embed'; id: string }
	| { name: 'adminReports' }
	// Reach: the notification centre and its settings.
	| { name: 'notifications' }
	| { name: 'series'; id: string }
	| { name: 'profile'; handle: string }
	| { name: 'settings' }
	| { name: 'notFound' };

// Only same-app paths are followed after login, never another origin.
function safeNext(value: string | null): string | null {
	return value?.startsWith('/') && !value.startsWith('//') ? value : null;
}

/** Maps a URL path (and query) to a {@link Route}. */
export function parseRoute(pathname: string, search = ''): Route {
	const path = pathname.replace(/\/+$/, '') || '/';
	const query = new URLSearchParams(search);
	if (path === '/') {
		return { name: 'home' };
	}
	if (path === '/login' || path === '/signup') {
		return { name: path === '/login' ? 'login' : 'signup', next: safeNext(query.get('next')) };
	}
	if (path === '/schedule') {
		return { name: 'schedule' };
	}
	if (path === '/admin/reports') {
		return { name: 'adminReports' };
	}
	if (path === '/notifications') {
		return { name: 'notifications' };
	}
	// Reach: a repeating room's series page.
	const series = /^\/rooms\/([^/]+)\/series$/.exec(path);
	if (series?.[1]) {
		return { name: 'series', id: decodeURIComponent(series[1]) };
	}
	// Reach (issue 14): profiles and account settings.
	if (path === '/settings') {
		return { name: 'settings' };
	}
	const profile = /^\/u\/([^/]+)$/.exec(path);
	if (profile?.[1]) {
		return { name: 'profile', handle: decodeURIComponent(profile[1]) };
	}
	const embed = /^\/embed\/rooms\/([^/]+)$/.exec(path);
	if (embed?.[1]) {
		return { name: 'embed', id: decodeURIComponent(embed[1]) };
	}
	const replay = /^\/rooms\/([^/]+)\/replay$/.exec(path);
	if (replay?.[1]) {
		return { name: 'replay', id: decodeURIComponent(replay[1]) };
	}
	const room = /^\/rooms\/([^/]+)(\/edit)?$/.exec(path);
	if (room?.[1]) {
		const id = decodeURIComponent(room[1]);

		return room[2] ? { name: 'edit', id } : { name: 'room', id };
	}

	return { name: 'notFound' };
}

/** The log-in (or sign-up) page that brings the person back to `next` afterwards. */
export function loginPath(next: string, page: 'login' | 'signup' = 'login'): string {
	const back = safeNext(next);
	const bare = back === null || back === '/' || /^\/(login|signup)(\?|$)/.test(back);

	return bare ? `/${page}` : `/${page}?next=${encodeURIComponent(back)}`;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
	listeners.add(listener);
	window.addEventListener('popstate', listener);

	return () => {
		listeners.delete(listener);
		window.removeEventListener('popstate', listener);
	};
}

function snapshot(): string {
	return window.location.pathname + window.location.search;
}

/** Goes to an in-app path without reloading; `state` rides along in `history.state`. */
export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
	if (options.replace) {
		window.history.replaceState(options.state ?? null, '', to);
	} else {
		window.history.pushState(options.state ?? null, '', to);
	}
	for (const listener of listeners) {
		listener();
	}
}

/** The current path (with query), re-rendering on navigation. */
export function useLocationKey(): string {
	return useSyncExternalStore(subscribe, snapshot, () => '/');
}

/** The current route. */
export function useRoute(): Route {
	const key = useLocationKey();
	const [pathname = '/', search = ''] = key.split('?');

	return parseRoute(pathname, search ? `?${search}` : '');
}

/** Whether the current history entry asked the room page to join right away (from a Join button). */
export function consumeAutoJoin(): boolean {
	const state = window.history.state as { autoJoin?: boolean } | null;
	if (state?.autoJoin) {
		window.history.replaceState({ ...state, autoJoin: false }, '');

		return true;
	}

	return false;
}
