import type {
	Guest,
	GuestKind,
	JoinResponse,
	Room,
	RoomState,
	SpeakRequests,
	User,
	UserSummary,
	Visibility,
} from '@majlis/protocol';
import { api } from '../../api';

/** A page of rooms. */
export interface RoomPage {
	/** Rooms of this page. */
	items: Room[];
	/** Cursor of the next page, or null at the end. */
	nextCursor: string | null;
}

/** Filters of {@link listRooms}. */
export interface RoomQuery {
	state?: RoomState;
	topic?: string;
	host?: string;
	q?: string;
	cursor?: string | null;
}

/** Body of create and update. */
export interface RoomInput {
	title: string;
	description?: string;
	topics?: string[];
	scheduledFor?: string | null;
	visibility: Visibility;
	speakRequests?: SpeakRequests;
	maxSpeakers?: number;
}

const enc = encodeURIComponent;

function unwrapList<T>(body: T[] | { items: T[] }): T[] {
	return Array.isArray(body) ? body : body.items;
}

/** Lists rooms (`GET /api/rooms`). */
export async function listRooms(query: RoomQuery, signal?: AbortSignal): Promise<RoomPage> {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined && value !== null && value !== '') {
			params.set(key, String(value));
		}
	}
	const body = await api<RoomPage>(`/api/rooms?${params}`, { signal });

	return { items: body.items, nextCursor: body.nextCursor ?? null };
}

/** One room (`GET /api/rooms/:id`). */
export function getRoom(id: string, signal?: AbortSignal): Promise<Room> {
	return api<Room>(`/api/rooms/${enc(id)}`, { signal });
}

/** Schedules a room (`POST /api/rooms`). */
export function createRoom(input: RoomInput): Promise<Room> {
	return api<Room>('/api/rooms', { body: input });
}

/** Changes a room (`PATCH /api/rooms/:id`). */
export function updateRoom(id: string, input: Partial<RoomInput>): Promise<Room> {
	return api<Room>(`/api/rooms/${enc(id)}`, { method: 'PATCH', body: input });
}

/** Deletes a room (`DELETE /api/rooms/:id`). */
export async function deleteRoom(id: string): Promise<void> {
	await api(`/api/rooms/${enc(id)}`, { method: 'DELETE' });
}

/** Goes live (`POST /api/rooms/:id/start`). */
export function startRoom(id: string): Promise<Room> {
	return api<Room>(`/api/rooms/${enc(id)}/start`, { method: 'POST' });
}

/** Ends a room through REST (`POST /api/rooms/:id/end`). */
export async function endRoom(id: string): Promise<void> {
	await api(`/api/rooms/${enc(id)}/end`, { method: 'POST' });
}

/** Appoints (`on`) or removes a co-host. */
export async function setCohost(id: string, userId: string, on: boolean): Promise<void> {
	await api(`/api/rooms/${enc(id)}/cohosts/${enc(userId)}`, { method: on ? 'PUT' : 'DELETE' });
}

/** Appoints (`on`) or removes a moderator. */
export async function setModerator(id: string, userId: string, on: boolean): Promise<void> {
	await api(`/api/rooms/${enc(id)}/moderators/${enc(userId)}`, { method: on ? 'PUT' : 'DELETE' });
}

/** The guest list (`GET /api/rooms/:id/guests`). */
export async function listGuests(id: string): Promise<Guest[]> {
	return unwrapList(await api<Guest[] | { items: Guest[] }>(`/api/rooms/${enc(id)}/guests`));
}

/** Adds or changes a guest (`PUT /api/rooms/:id/guests/:userId`). */
export async function putGuest(id: string, userId: string, kind: GuestKind): Promise<void> {
	await api(`/api/rooms/${enc(id)}/guests/${enc(userId)}`, { method: 'PUT', body: { kind } });
}

/** Removes a guest. */
export async function deleteGuest(id: string, userId: string): Promise<void> {
	await api(`/api/rooms/${enc(id)}/guests/${enc(userId)}`, { method: 'DELETE' });
}

/** A join ticket and the SFU to use it on (`POST /api/rooms/:id/join`). */
export function joinRoom(id: string): Promise<JoinResponse> {
	return api<JoinResponse>(`/api/rooms/${enc(id)}/join`, { method: 'POST' });
}

/** Searches people by name or handle (`GET /api/users?q=`). */
export async function searchUsers(q: string, signal?: AbortSignal): Promise<UserSummary[]> {
	const body = await api<User[] | { items: User[] }>(`/api/users?q=${enc(q)}`, { signal });

	return unwrapList(body).map(({ id, handle, displayName }) => ({ id, handle, displayName }));
}
