/**
 * Plays remote audio tracks through detached <audio> elements, one per consumer. Browsers may refuse
 * to start playback without a user gesture; then {@link AudioSink.blocked} turns true until
 * {@link AudioSink.unlock} runs from a click.
 */
export class AudioSink {
	readonly #elements = new Map<string, HTMLAudioElement>();
	readonly #onBlockedChange: (blocked: boolean) => void;
	#blocked = false;
	#muted = false;
	#sinkId = '';

	constructor(onBlockedChange: (blocked: boolean) => void) {
		this.#onBlockedChange = onBlockedChange;
	}

	/** Whether the browser blocked autoplay. */
	get blocked(): boolean {
		return this.#blocked;
	}

	/** Number of tracks playing (or waiting to play). */
	get size(): number {
		return this.#elements.size;
	}

	#setBlocked(blocked: boolean): void {
		if (this.#blocked !== blocked) {
			this.#blocked = blocked;
			this.#onBlockedChange(blocked);
		}
	}

	#play(element: HTMLAudioElement): Promise<void> {
		return element.play().then(
			() => undefined,
			(error: unknown) => {
				if ((error as Error).name === 'NotAllowedError') {
					this.#setBlocked(true);
				}
				throw error;
			}
		);
	}

	/** Starts playing `track` under `id`. */
	add(id: string, track: MediaStreamTrack): void {
		this.remove(id);
		const element = new Audio();
		element.autoplay = true;
		element.srcObject = new MediaStream([track]);
		element.muted = this.#muted;
		if (this.#sinkId) {
			element.setSinkId?.(this.#sinkId).catch(() => undefined);
		}
		this.#elements.set(id, element);
		this.#play(element).catch(() => undefined);
	}

	/** Stops and forgets the track under `id`. */
	remove(id: string): void {
		const element = this.#elements.get(id);
		if (element) {
			element.pause();
			element.srcObject = null;
			this.#elements.delete(id);
		}
	}

	/** Retries playback of everything; call it from a user gesture (click or key press). */
	async unlock(): Promise<void> {
		const results = await Promise.allSettled([...this.#elements.values()].map((e) => this.#play(e)));
		if (results.every((r) => r.status === 'fulfilled')) {
			this.#setBlocked(false);
		}
	}

	/** Silences every element (the lock screen's pause) or restores them; the tracks keep flowing. */
	setMuted(muted: boolean): void {
		this.#muted = muted;
		for (const element of this.#elements.values()) {
			element.muted = muted;
		}
	}

	/** Plays through `deviceId` (an `audiooutput`); false where `setSinkId` is missing or refused. */
	async setSinkId(deviceId: string): Promise<boolean> {
		if (!('setSinkId' in HTMLMediaElement.prototype)) {
			return false;
		}
		this.#sinkId = deviceId;
		const results = await Promise.allSettled([...this.#elements.values()].map((e) => e.setSinkId(deviceId)));

		return results.every((r) => r.status === 'fulfilled');
	}

	/** Stops everything. */
	clear(): void {
		for (const id of [...this.#elements.keys()]) {
			this.remove(id);
		}
		this.#setBlocked(false);
	}
}
