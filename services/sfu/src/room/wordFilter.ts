import { ARABIC_PREFIXES, foldText } from '@majlis/protocol';

/**
 * Folds text the way the filter compares it: NFKC (presentation forms, full-width letters), lower case,
 * without invisible characters and tashkeel, one alef, one yeh, and each run of a repeated letter as one
 * ("كلاااام" is "كلام", "baaad" is "bad").
 */
export function normaliseForFilter(text: string): string {
	// The shared folding (protocol's foldText), and letters stretched for emphasis squeezed.
	return foldText(text).replace(/(\p{L})\1+/gu, '$1');
}

/**
 * The deployment's word filter: a message is refused when one of its words, folded with
 * {@link normaliseForFilter} (and, in Arabic, without a glued article or conjunction), is on the list.
 * Whole words only, so a blocked word inside a longer harmless one does not trip it.
 */
export class WordFilter {
	readonly #words: Set<string>;

	/** A filter over `words` (blank entries are ignored). */
	constructor(words: readonly string[]) {
		this.#words = new Set(words.map(normaliseForFilter).filter((w) => w.length > 0));
	}

	/** Whether the list is empty. */
	get empty(): boolean {
		return this.#words.size === 0;
	}

	/** Whether `text` contains a blocked word. */
	blocks(text: string): boolean {
		if (this.#words.size === 0) {
			return false;
		}
		for (const token of normaliseForFilter(text).split(/[^\p{L}\p{N}]+/u)) {
			if (token && this.#matches(token)) {
				return true;
			}
		}

		return false;
	}

	#matches(token: string): boolean {
		if (this.#words.has(token)) {
			return true;
		}
		for (const prefix of ARABIC_PREFIXES) {
			if (
				token.length > prefix.length + 1 &&
				token.startsWith(prefix) &&
				this.#words.has(token.slice(prefix.length))
			) {
				return true;
			}
		}

		return false;
	}
}
