import { create } from 'zustand';
import type { MicError } from '../lib/micErrors';

/** Microphone status: off, starting (permission prompt, transport), on (producing) or failed. */
export type MicStatus = 'off' | 'starting' | 'on' | 'failed';

/** State of the microphone store. */
export interface MicState {
	/** Where the microphone is. */
	status: MicStatus;
	/** Why it failed, when `status` is `failed`. */
	error: MicError | null;
}

/** This client's microphone. */
export const useMicStore = create<MicState>()(() => ({ status: 'off', error: null }));
