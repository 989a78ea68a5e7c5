import { create } from 'zustand';
import { listBlocks, setBlocked } from '../moderationApi';

/** The people the viewer blocked: their chat messages are hidden, and they cannot join the viewer's rooms. */
export interface BlockStoreState {
	/** Blocked user ids. */
	blocked: ReadonlySet<string>;
	/** Reads the list from the API (once signed in). */
	load(): Promise<void>;
	/** Blocks or unblocks someone; resolves once the API agreed. */
	set(userId: string, on: boolean): Promise<void>;
}

/** The viewer's blocks. */
export const useBlockStore = create<BlockStoreState>()((set, get) => ({
	blocked: new Set(),
	async load() {
		const items = await listBlocks();
		set({ blocked: new Set(items.map((u) => u.id)) });
	},
	async set(userId, on) {
		await setBlocked(userId, on);
		const next = new Set(get().blocked);
		if (on) {
			next.add(userId);
		} else {
			next.delete(userId);
		}
		set({ blocked: next });
	},
}));
