import { type Translate, useT } from '../../../i18n';
import type { Announcement, AnnouncementValue } from '../lib/roomState';
import { useRoomStore } from '../stores/useRoomStore';

function resolve(t: Translate, value: AnnouncementValue): string {
	return typeof value === 'string' ? value : t(value.key);
}

/** Text of one announcement in the current language. */
export function announcementText(t: Translate, a: Announcement): string {
	const vars = Object.fromEntries(Object.entries(a.vars ?? {}).map(([k, v]) => [k, resolve(t, v)]));

	return t(a.key, vars);
}

/** The ARIA live region: hand raises, stage changes and mutes, read out by screen readers. */
export function LiveAnnouncer() {
	const t = useT();
	const announcements = useRoomStore((s) => s.announcements);

	return (
		<div role="log" aria-live="polite" aria-relevant="additions" className="sr-only">
			{announcements.map((a) => (
				<p key={a.id}>{announcementText(t, a)}</p>
			))}
		</div>
	);
}
