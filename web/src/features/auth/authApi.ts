import type { User } from '@majlis/protocol';
import { api } from '../../api';

/** Reply of signup and login. */
export interface Session {
	/** The signed-in user. */
	user: User;
	/** Bearer token for the REST API. */
	token: string;
}

/** Creates an account (`POST /api/auth/signup`). */
export function signup(body: { handle: string; displayName: string; password: string }): Promise<Session> {
	return api<Session>('/api/auth/signup', { body });
}

/** Logs in (`POST /api/auth/login`). */
export function login(body: { handle: string; password: string }): Promise<Session> {
	return api<Session>('/api/auth/login', { body });
}

/** The user behind the stored token (`GET /api/me`). */
export async function fetchMe(): Promise<User> {
	const body = await api<User | { user: User }>('/api/me');

	return 'user' in body ? body.user : body;
}
