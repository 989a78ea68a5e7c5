import type { Context } from '@fedify/fedify';
import { Event as ApEvent, Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { escapeHtml } from '../../../share-pages.js';
import type { RoomSnapshot } from '../rooms/room-snapshot.js';

/** An instant as ActivityStreams properties take it. */
export function toInstant(date: Date): Temporal.Instant {
	return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}

/** The room's page, where followers open it. */
export function roomPageUrl(publicUrl: string, roomId: string): URL {
	return new URL(`/rooms/${roomId}`, publicUrl);
}

function link(url: URL, text: string): string {
	return `<a href="${escapeHtml(url.href)}">${escapeHtml(text)}</a>`;
}

function paragraph(text: string): string {
	return text.trim() === '' ? '' : `<p>${escapeHtml(text)}</p>`;
}

/** Public, and to the host's followers (Mastodon: a public post in their home timelines). */
function audience(ctx: Context<void>, room: RoomSnapshot) {
	return { to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(room.host_id) };
}

/**
 * A scheduled room as an `Event` (`/ap/rooms/{id}`): calendars of the fediverse (Mobilizon, Friendica)
 * show it as an event; Mastodon shows its name and a link to the room.
 */
export function roomEvent(ctx: Context<void>, publicUrl: string, room: RoomSnapshot): ApEvent {
	const url = roomPageUrl(publicUrl, room.id);

	return new ApEvent({
		id: ctx.getObjectUri(ApEvent, { id: room.id }),
		attribution: ctx.getActorUri(room.host_id),
		name: room.title,
		content: `${paragraph(room.description)}<p>${link(url, url.href)}</p>`,
		url,
		startTime: room.scheduled_for ? toInstant(room.scheduled_for) : null,
		endTime: room.ended_at ? toInstant(room.ended_at) : null,
		...audience(ctx, room),
	});
}

/**
 * The "live now" post of a room (`/ap/rooms/{id}/live`), a `Note` with the room's link: what Mastodon
 * shows as a post. Once the room ended it says so and carries `endTime` (sent as an `Update`: an edit).
 */
export function liveNote(ctx: Context<void>, publicUrl: string, room: RoomSnapshot): Note {
	const url = roomPageUrl(publicUrl, room.id);
	const ended = room.ended_at !== null;
	const lead = ended ? `Ended: ${link(url, room.title)}` : `🔴 Live now: ${link(url, room.title)}`;

	return new Note({
		id: ctx.getObjectUri(Note, { id: room.id }),
		attribution: ctx.getActorUri(room.host_id),
		name: room.title,
		content: `<p>${lead}</p>${ended ? '' : paragraph(room.description)}<p>${link(url, url.href)}</p>`,
		url,
		published: room.started_at ? toInstant(room.started_at) : null,
		updated: room.ended_at ? toInstant(room.ended_at) : null,
		startTime: room.started_at ? toInstant(room.started_at) : null,
		endTime: room.ended_at ? toInstant(room.ended_at) : null,
		...audience(ctx, room),
	});
}
