import { create } from 'zustand';

/** The browser's install offer (`beforeinstallprompt`), which TypeScript's DOM library does not type. */
export interface InstallPromptEvent extends Event {
	/** Shows the browser's install dialog; once per event. */
	prompt(): Promise<void>;
	/** How the person answered. */
	readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** State of the PWA store. */
export interface PwaState {
	/** A new version is installed and waiting: offer "Update". */
	updateReady: boolean;
	/** The browser offers installation (Chromium); null where it does not or once used. */
	installPrompt: InstallPromptEvent | null;
}

/** Service worker updates and the install offer. */
export const usePwaStore = create<PwaState>()(() => ({ updateReady: false, installPrompt: null }));
