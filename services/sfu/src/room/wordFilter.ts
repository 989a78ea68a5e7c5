// Arabic as people type it: with or without short vowels (tashkeel) and tatweel, any of the alef forms,
// ى for ي, ة for ه, hamza on a seat or not, Persian/Urdu look-alikes, and letters stretched for emphasis.
const TASHKEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;
const LETTER_MAP: Record<string, string> = {
	'\u0623': '\u0627', // أ
	'\u0625': '\u0627', // إ
	'\u0622': '\u0627', // آ
	'\u0671': '\u0627', // ٱ
	'\u0649': '\u064A', // ى
	'\u06CC': '\u064A', // ی (Persian yeh)
	'\u0626': '\u064A', // ئ
	'\u0624': '\u0648', // ؤ
	'\u0629': '\u0647', // ة
	'\u06A9': '\u0643', // ک (keheh)
};
const LETTERS = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'g');
// Prefixes glued to an Arabic word: the article and the one-letter conjunctions and prepositions.
const ARABIC_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];

/**
 * Folds text the way the filter compares it: NFKC (presentation forms, full-width letters), lower case,
 * without invisible characters and tashkeel, one alef, one yeh, and each run of a repeated letter as one
 * ("كلاااام" is "كلام", "baaad" is "bad").
 */
export function normaliseForFilter(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(INVISIBLE, '')
		.replace(TASHKEEL, '')
		.replace(LETTERS, (c) => LETTER_MAP[c] ?? c)
		.replace(/(\p{L})\1+/gu, '$1');
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
