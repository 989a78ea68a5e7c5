import { useSyncExternalStore } from 'react';

/**
 * Where the phone layout starts: the same breakpoint as the stylesheet's `@media (max-width: 52rem)`
 * (one column, bottom action bar, sheets). In rem, so 200 % text zoom also gets the phone layout.
 */
export const COMPACT_QUERY = '(max-width: 52rem)';

function subscribe(onChange: () => void): () => void {
	const query = window.matchMedia(COMPACT_QUERY);
	query.addEventListener('change', onChange);

	return () => query.removeEventListener('change', onChange);
}

function snapshot(): boolean {
	return window.matchMedia(COMPACT_QUERY).matches;
}

/** Whether the viewport is phone-sized (or a narrow window), re-rendering when that changes. */
export function useCompactLayout(): boolean {
	return useSyncExternalStore(subscribe, snapshot, () => false);
}
