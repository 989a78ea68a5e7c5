// Embeddable player (#18): the `<iframe>` the share dialog offers and oEmbed answers, defined once.

/** The player's size when nothing bounds it: the title, one row of speakers and the controls. */
export const EMBED_SIZE = { width: 480, height: 200 } as const;

/** The player's path for a room (`/embed/rooms/:id`). */
export function embedPath(roomId: string): string {
	return `/embed/rooms/${encodeURIComponent(roomId)}`;
}

// Attribute values only: `&`, quotes and angle brackets as numeric references.
function attribute(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What {@link embedIframeHtml} writes into the snippet. */
export interface EmbedFrame {
	/** The player's absolute URL. */
	src: string;
	/** The room's title: the frame's accessible name. */
	title: string;
	width?: number;
	height?: number;
}

/**
 * The `<iframe>` snippet of a room's player. `allow="autoplay"` lets a host page hand its click on; the
 * player itself starts only on Play. `max-width:100%` keeps it inside narrow columns and phones.
 */
export function embedIframeHtml(frame: EmbedFrame): string {
	const width = frame.width ?? EMBED_SIZE.width;
	const height = frame.height ?? EMBED_SIZE.height;

	return `<iframe src="${attribute(frame.src)}" width="${width}" height="${height}" title="${attribute(frame.title)}" style="border:0;max-width:100%" allow="autoplay" loading="lazy"></iframe>`;
}
