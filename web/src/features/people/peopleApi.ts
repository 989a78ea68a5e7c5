import type { Profile, UpdateProfileBody, User } from '@majlis/protocol';
import { ApiRequestError, api, getToken, normalizeFields } from '../../api';

const enc = encodeURIComponent;

/** A person's profile (`GET /api/users/:handle`). */
export function getProfile(handle: string, signal?: AbortSignal): Promise<Profile> {
	return api<Profile>(`/api/users/${enc(handle)}`, { signal });
}

/** Follows (`PUT`) or unfollows (`DELETE`) `handle`. */
export async function setFollowing(handle: string, follow: boolean): Promise<void> {
	await api<void>(`/api/users/${enc(handle)}/follow`, { method: follow ? 'PUT' : 'DELETE' });
}

/** Changes the display name and/or bio (`PATCH /api/me`). */
export function updateMe(body: UpdateProfileBody): Promise<User> {
	return api<User>('/api/me', { method: 'PATCH', body });
}

/** Changes the password (`POST /api/me/password`). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
	await api<void>('/api/me/password', { body: { currentPassword, newPassword } });
}

/** Deletes the account (`DELETE /api/me`), confirmed with the password. */
export async function deleteAccount(password: string): Promise<void> {
	await api<void>('/api/me', { method: 'DELETE', body: { password } });
}

/** Removes the avatar (`DELETE /api/me/avatar`). */
export async function removeAvatar(): Promise<void> {
	await api<void>('/api/me/avatar', { method: 'DELETE' });
}

/**
 * Uploads an image file as the avatar (`PUT /api/me/avatar`): the file itself is the body, with its
 * own type, so the server sees exactly what the person picked (and refuses other types with a 415).
 */
export async function uploadAvatar(file: File): Promise<string> {
	const headers: Record<string, string> = { accept: 'application/json', 'content-type': file.type };
	const token = getToken();
	if (token) {
		headers.authorization = `Bearer ${token}`;
	}
	let response: Response;
	try {
		response = await fetch('/api/me/avatar', { method: 'PUT', headers, body: file });
	} catch (error) {
		throw new ApiRequestError(0, 'network', (error as Error).message);
	}
	const body = (await response.json().catch(() => undefined)) as
		| { avatarUrl?: string; error?: { code: string; message: string; fields?: Record<string, string> } }
		| undefined;
	if (!response.ok || !body?.avatarUrl) {
		throw new ApiRequestError(
			response.status,
			body?.error?.code ?? 'bad_request',
			body?.error?.message ?? '',
			normalizeFields(body?.error?.fields)
		);
	}

	return body.avatarUrl;
}
