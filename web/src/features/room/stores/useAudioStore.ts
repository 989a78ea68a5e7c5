import { create } from 'zustand';

/** State of the audio store. */
export interface AudioState {
	/** The browser blocked autoplay: show "Tap to enable audio". */
	blocked: boolean;
	/** Remote audio streams being received. */
	streams: number;
}

/** Playback of the stage's audio. */
export const useAudioStore = create<AudioState>()(() => ({ blocked: false, streams: 0 }));
