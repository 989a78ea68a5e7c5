import { isLang, type Lang } from '../../i18n';

/** Whether `pathname` is the embeddable player's (`/embed/…`). */
export function isEmbedPath(pathname: string): boolean {
	return pathname.startsWith('/embed/');
}

/**
 * The player's language: `?lang=en|ar` as the embedding page asks, else the browser's first language.
 * A choice remembered on Majlis itself is not used: the frame belongs to the host page.
 */
export function embedLang(
	search: string,
	languages: readonly string[] = globalThis.navigator?.languages ?? []
): Lang {
	const asked = new URLSearchParams(search).get('lang')?.toLowerCase();
	if (isLang(asked)) {
		return asked;
	}

	return (languages[0] ?? 'en').toLowerCase().startsWith('ar') ? 'ar' : 'en';
}
