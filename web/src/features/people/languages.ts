/** Languages a room can be given in the schedule form and filtered by on the home page (ISO 639-1). */
export const ROOM_LANGUAGES = ['ar', 'en', 'fr', 'tr', 'ur', 'fa'] as const;

/** One of {@link ROOM_LANGUAGES}. */
export type RoomLanguage = (typeof ROOM_LANGUAGES)[number];

/** Whether `code` is one of {@link ROOM_LANGUAGES}. */
export function isRoomLanguage(code: string | null | undefined): code is RoomLanguage {
	return (ROOM_LANGUAGES as readonly string[]).includes(code ?? '');
}
