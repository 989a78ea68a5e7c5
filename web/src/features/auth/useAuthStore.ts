import type { User } from '@majlis/protocol';
import { create } from 'zustand';
import { getToken, setToken, setUnauthorizedHandler } from '../../api';
import { fetchMe, type Session } from './authApi';

/** State of the auth store. */
export interface AuthState {
	/** The signed-in user, or null. */
	user: User | null;
	/** Whether the stored token is still being checked on start. */
	checking: boolean;
	/** Keeps a fresh session (after signup or login). */
	signIn(session: Session): void;
	/** Forgets the token and the user. */
	signOut(): void;
	/** Loads the user of a stored token, if any. */
	restore(): Promise<void>;
}

/** Who is signed in. The token lives in localStorage; the user object only in memory. */
export const useAuthStore = create<AuthState>()((set) => ({
	user: null,
	checking: getToken() !== null,
	signIn(session) {
		setToken(session.token);
		set({ user: session.user, checking: false });
	},
	signOut() {
		setToken(null);
		set({ user: null, checking: false });
	},
	async restore() {
		if (!getToken()) {
			set({ checking: false });

			return;
		}
		try {
			set({ user: await fetchMe(), checking: false });
		} catch {
			// A 401 signs out through the unauthorized handler; other failures keep the token for later.
			set({ checking: false });
		}
	},
}));

setUnauthorizedHandler(() => useAuthStore.getState().signOut());
