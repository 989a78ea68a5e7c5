import type {
	CreateRoomBody,
	Guest,
	GuestKind,
	JoinResponse,
	ListRoomsQuery,
	Room,
	RoomPage,
	UpdateRoomBody,
	User,
	UserSummary,
} from '@majlis/protocol';
import { api } from '../../api';

/** Filters of {@link listRooms}: the API's querystring; a null cursor asks for the first page. */
export type RoomQuery = Omit<ListRoomsQuery, 'cursor'> & { cursor?: string | null };

/** Body of create (`POST /api/rooms`), as the API defines it. */
export type RoomInput = CreateRoomBody;

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
export function updateRoom(id: string, input: UpdateRoomBody): Promise<Room> {
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

/** Host: hands the live room to a co-host, becoming a co-host (`PUT /api/rooms/:id/host`). */
export async function handOver(id: string, userId: string): Promise<void> {
	await api(`/api/rooms/${enc(id)}/host`, { method: 'PUT', body: { userId } });
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

/** People removed from a room (`GET /api/rooms/:id/bans`; host, co-hosts, moderators). */
export async function listBans(id: string, signal?: AbortSignal): Promise<{ user: UserSummary }[]> {
	return (await api<{ items: { user: UserSummary }[] }>(`/api/rooms/${enc(id)}/bans`, { signal })).items;
}

/** Lets a removed person back in (`DELETE /api/rooms/:id/bans/:userId`; host, co-hosts). */
export async function unban(id: string, userId: string): Promise<void> {
	await api(`/api/rooms/${enc(id)}/bans/${enc(userId)}`, { method: 'DELETE' });
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
