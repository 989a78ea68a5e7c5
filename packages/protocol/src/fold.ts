// Arabic as people type it: with or without short vowels (tashkeel) and tatweel, any of the alef forms,
// ى for ي, ة for ه, hamza on a seat or not, Persian/Urdu look-alikes. Shared by the chat word filter
// (SFU) and room search (API), so both treat a word the same way.
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

/** Prefixes glued to an Arabic word: the article and the one-letter conjunctions and prepositions. */
export const ARABIC_PREFIXES: readonly string[] = [
	'وال',
	'فال',
	'بال',
	'كال',
	'لل',
	'ال',
	'و',
	'ف',
	'ب',
	'ل',
	'ك',
];

/**
 * Folds text to the form it is compared in: NFKC (presentation forms, full-width letters), lower case,
 * without invisible characters, tashkeel and tatweel, one alef, one yeh, ه for ة.
 */
export function foldText(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(INVISIBLE, '')
		.replace(TASHKEEL, '')
		.replace(LETTERS, (c) => LETTER_MAP[c] ?? c);
}

/** The words of `text`, folded with {@link foldText}: runs of letters and digits. */
export function foldedWords(text: string): string[] {
	return foldText(text)
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w.length > 0);
}

/**
 * The searchable form of a document: its folded words, plus each Arabic word without the article
 * (and a conjunction or preposition glued to it), so "اسلام" finds "الإسلام" and "والإسلام".
 */
export function searchDocument(parts: readonly string[]): string {
	const out = new Set<string>();
	for (const word of foldedWords(parts.join(' '))) {
		out.add(word);
		for (const prefix of ARABIC_PREFIXES) {
			const rest = word.slice(prefix.length);
			// One-letter prefixes only before the article: "بيت" is a word, not "ب" + "يت".
			if (word.startsWith(prefix) && rest.length > 1 && (prefix.length > 1 || rest.startsWith('ال'))) {
				out.add(rest);
			}
		}
	}

	return [...out].join(' ');
}
