import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RoomWithHost } from '../rooms/rooms-repository.js';
import { type CardContent, type CardLanguage, renderCard } from './card-image.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Share cards of rooms: their text for link previews and their drawn PNG. */
		shareCards: ShareCards;
	}
}

/** What a link preview of a room says, in the room's language. */
export interface RoomShareText {
	language: CardLanguage;
	title: string;
	/** Host, time and state in one sentence, for `og:description`. */
	description: string;
	card: CardContent;
	/** Changes whenever the card would change: room id, update time, state and language. */
	version: string;
}

const ARABIC_LETTER = /[\u0600-\u06ff]/u;
// Drawn cards kept in memory; a card is about 60 kB, so this bounds the cache near 15 MB.
const MAX_CACHED = 256;

/** The card language of a room: its declared language, else Arabic when the title is written in it. */
export function roomLanguage(room: Pick<RoomWithHost, 'language' | 'title'>): CardLanguage {
	if (room.language) {
		return room.language === 'ar' ? 'ar' : 'en';
	}

	return ARABIC_LETTER.test(room.title) ? 'ar' : 'en';
}

function when(date: Date, language: CardLanguage): string {
	const text = new Intl.DateTimeFormat(language === 'ar' ? 'ar-EG' : 'en-US', {
		// Arabic's medium style is all digits and slashes; its long one names the month.
		dateStyle: language === 'ar' ? 'long' : 'medium',
		timeStyle: 'short',
		timeZone: 'UTC',
	}).format(date);

	return language === 'ar' ? `${text} بتوقيت غرينتش` : `${text} UTC`;
}

/** The share text and card content of a room (callers check it may be shown first). */
export function roomShareText(room: RoomWithHost): RoomShareText {
	const language = roomLanguage(room);
	const ar = language === 'ar';
	const badge = {
		live: ar ? 'مباشر الآن' : 'Live now',
		scheduled: ar ? 'مجدولة' : 'Scheduled',
		ended: ar ? 'انتهت' : 'Ended',
	}[room.state];
	const at =
		room.state === 'scheduled' ? room.scheduled_for : room.state === 'live' ? room.started_at : room.ended_at;
	const prefix = {
		live: ar ? 'بدأت' : 'Started',
		scheduled: ar ? 'تبدأ' : 'Starts',
		ended: ar ? 'انتهت' : 'Ended',
	}[room.state];
	const time = at ? `${prefix} ${when(at, language)}` : '';
	const host = ar ? `يستضيفها ${room.host_display_name}` : `Hosted by ${room.host_display_name}`;
	const handle = `@${room.host_handle}`;
	const description = [badge, `${host} (${handle})`, time].filter(Boolean).join(' · ');
	const version = createHash('sha256')
		.update([room.id, room.updated_at.toISOString(), room.state, String(at?.getTime()), language].join('|'))
		.digest('base64url')
		.slice(0, 22);

	return {
		language,
		title: room.title,
		description,
		card: {
			language,
			badge,
			live: room.state === 'live',
			title: room.title,
			lines: [host, handle, time].filter(Boolean),
		},
		version,
	};
}

/** A person's profile as {@link findProfile} gives it (`usersRepository.findProfile`). */
interface ProfileFacts {
	id: string;
	handle: string;
	displayName: string;
	bio: string;
}

/** The share text and card content of a profile, in Arabic when the name or about text is. */
export function profileShareText(profile: ProfileFacts): RoomShareText {
	const language: CardLanguage = ARABIC_LETTER.test(`${profile.displayName}${profile.bio}`) ? 'ar' : 'en';
	const handle = `@${profile.handle}`;
	const bio = profile.bio.trim().split('\n')[0] ?? '';
	const version = createHash('sha256')
		.update(['profile', profile.id, profile.handle, profile.displayName, profile.bio, language].join('|'))
		.digest('base64url')
		.slice(0, 22);

	return {
		language,
		title: `${profile.displayName} (${handle})`,
		description: profile.bio || `${handle} on Majlis`,
		card: {
			language,
			badge: language === 'ar' ? 'على مجلس' : 'On Majlis',
			live: false,
			title: profile.displayName,
			// The handle on a line of its own, then the about text's first line (cut to fit the card).
			lines: [handle, ...(bio ? [bio] : [])],
		},
		version,
	};
}

/** Draws room and profile cards, keeping the most recent {@link MAX_CACHED} in memory by version. */
export function createShareCards() {
	const cache = new Map<string, Buffer>();

	return {
		/** The PNG of `text`'s card, drawn once per version. */
		png(text: RoomShareText): Buffer {
			const cached = cache.get(text.version);
			if (cached) {
				// Re-inserted: the Map's order is then least recently used first.
				cache.delete(text.version);
				cache.set(text.version, cached);

				return cached;
			}
			const png = renderCard(text.card);
			cache.set(text.version, png);
			if (cache.size > MAX_CACHED) {
				cache.delete(cache.keys().next().value as string);
			}

			return png;
		},
	};
}

/** What {@link createShareCards} returns. */
export type ShareCards = ReturnType<typeof createShareCards>;

/** Decorates the app with `shareCards`. */
export default fp(
	async function shareCards(app: FastifyInstance) {
		app.decorate('shareCards', createShareCards());
	},
	{ name: 'share-cards' }
);
