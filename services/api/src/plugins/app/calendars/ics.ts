import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { type CalendarEntry, DEFAULT_DURATION_MS } from './calendars.js';

/** The iCalendar (RFC 5545) text of `entries`, each event linking to its room under `baseUrl`. */
export function toIcs(
	name: string,
	entries: readonly CalendarEntry[],
	baseUrl: string,
	now = new Date()
): string {
	const calendar = ical({
		name,
		prodId: { company: 'Majlis', product: 'Majlis', language: 'EN' },
		method: ICalCalendarMethod.PUBLISH,
		// Feeds are polled; an hour is what most clients honour.
		ttl: 3600,
	});
	for (const entry of entries) {
		const url = `${baseUrl}/rooms/${entry.roomId}`;
		calendar.createEvent({
			// A UID stable for the room's life and unique across deployments (RFC 5545 §3.8.4.7).
			id: `${entry.roomId}@majlis`,
			// No timezone: DTSTART, DTEND and DTSTAMP are written in UTC (the trailing Z).
			start: entry.start,
			end: entry.end ?? new Date(entry.start.getTime() + DEFAULT_DURATION_MS),
			stamp: now,
			lastModified: entry.updatedAt,
			sequence: entry.sequence,
			summary: entry.title,
			description: entry.description
				? `${entry.description}\n\n${entry.hostName}\n${url}`
				: `${entry.hostName}\n${url}`,
			url,
			status: entry.state === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		});
	}

	return calendar.toString();
}
