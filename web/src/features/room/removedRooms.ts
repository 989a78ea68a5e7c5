// Rooms this browser was removed from, so lists stop offering Join for them. Only a hint for the UI: the
// server refuses the join anyway, and a successful join (after an unban) forgets it.
const KEY = 'majlis.removedFrom';

function read(): string[] {
	try {
		const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;

		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

function write(ids: string[]): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(ids.slice(-50)));
	} catch {
		// Without storage the lists keep offering Join; the server still refuses.
	}
}

/** Notes that this browser's user was removed from `roomId`. */
export function rememberRemoval(roomId: string): void {
	write([...read().filter((id) => id !== roomId), roomId]);
}

/** Forgets a removal (the user got back in). */
export function forgetRemoval(roomId: string): void {
	const ids = read();
	if (ids.includes(roomId)) {
		write(ids.filter((id) => id !== roomId));
	}
}

/** Whether this browser's user was removed from `roomId`. */
export function wasRemoved(roomId: string): boolean {
	return read().includes(roomId);
}
