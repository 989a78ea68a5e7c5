import bidiFactory from 'bidi-js';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

const bidi = bidiFactory();

/** The shipped faces a card's text is set in. */
export type CardFace = 'Noto Sans' | 'Noto Sans Arabic';

/** A piece of a line in one direction and one face, placed on the line. */
export interface PlacedRun {
	/** The run's characters in logical (reading) order; the renderer shapes and reverses an RTL run. */
	text: string;
	rtl: boolean;
	face: CardFace;
	/** Offset of the run's left edge from the line's left edge, in px. */
	left: number;
	width: number;
}

/** One line laid out in visual order: its runs from left to right and its whole advance width. */
export interface LineLayout {
	runs: PlacedRun[];
	width: number;
}

const ARABIC_LETTER = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/u;
// Isolates, embeddings, overrides and marks steer the algorithm but have no glyph of their own.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Wraps `text` in a left-to-right isolate, so a Latin handle keeps its `@` in front inside Arabic text. */
export function isolateLtr(text: string): string {
	return `\u2066${text}\u2069`;
}

/**
 * Splits a line into runs of one embedding level, in the order they are drawn from left to right, by the
 * Unicode Bidirectional Algorithm (UAX #9, through bidi-js) with the paragraph direction taken from the
 * first strong letter, as a browser does with `dir="auto"`. resvg orders mixed lines wrongly (resvg issue
 * 447), so a card draws each run on its own and never gives resvg more than one direction at a time.
 */
export function visualRuns(line: string): { text: string; rtl: boolean }[] {
	if (!line) {
		return [];
	}
	const embedding = bidi.getEmbeddingLevels(line);
	const order = Array.from({ length: line.length }, (_, i) => i);
	for (const [start = 0, end = -1] of bidi.getReorderSegments(line, embedding)) {
		const flipped = order.slice(start, end + 1).reverse();
		order.splice(start, flipped.length, ...flipped);
	}
	const runs: { indices: number[]; level: number }[] = [];
	for (const index of order) {
		const level = embedding.levels[index] ?? 0;
		const last = runs.at(-1);
		const previous = last?.indices.at(-1);
		if (last && last.level === level && previous !== undefined && Math.abs(previous - index) === 1) {
			last.indices.push(index);
		} else {
			runs.push({ indices: [index], level });
		}
	}

	return runs.flatMap(({ indices, level }) => {
		const text = indices
			.toSorted((a, b) => a - b)
			.map((i) => line[i])
			.join('')
			.replace(BIDI_CONTROLS, '');

		return level % 2 === 1 ? rtlPieces(text) : text ? [{ text, rtl: false }] : [];
	});
}

const STRONG_RTL = new Set(['R', 'AL']);

/**
 * An RTL run as pieces drawn left to right. resvg lays every `<text>` out left to right whatever its
 * `direction`, so only the stretch from the first to the last right-to-left letter goes to it as one
 * piece (neutrals between RTL letters resolve RTL either way); the spaces and punctuation at the run's
 * edges are put in visual order here, mirrored as the algorithm says (rule L4: "(" reads ")").
 */
function rtlPieces(text: string): { text: string; rtl: boolean }[] {
	const chars = [...text];
	const type = (c: string) => bidi.getBidiCharTypeName(c);
	const first = chars.findIndex((c) => STRONG_RTL.has(type(c)));
	if (first === -1) {
		return neutral(chars);
	}
	let last = chars.length - 1;
	while (last > first && !STRONG_RTL.has(type(chars[last] ?? '')) && type(chars[last] ?? '') !== 'NSM') {
		last -= 1;
	}

	return [
		...neutral(chars.slice(last + 1)),
		{ text: chars.slice(first, last + 1).join(''), rtl: true },
		...neutral(chars.slice(0, first)),
	];
}

// Neutral characters of an RTL run, reversed and mirrored into the order they are seen in.
function neutral(chars: string[]): { text: string; rtl: boolean }[] {
	const text = chars
		.toReversed()
		.map((c) => bidi.getMirroredCharacter(c) ?? c)
		.join('');

	return text ? [{ text, rtl: false }] : [];
}

type Weight = 400 | 700;
const FONT_FILES: Record<CardFace, Record<Weight, string>> = {
	'Noto Sans': { 400: 'NotoSans-Regular.ttf', 700: 'NotoSans-Bold.ttf' },
	'Noto Sans Arabic': { 400: 'NotoSansArabic-Regular.ttf', 700: 'NotoSansArabic-Bold.ttf' },
};
const fonts = new Map<string, fontkit.Font>();

function font(fontDir: URL, face: CardFace, weight: Weight): fontkit.Font {
	const file = new URL(FONT_FILES[face][weight], fontDir);
	const key = file.href;
	let loaded = fonts.get(key);
	if (!loaded) {
		const opened = fontkit.openSync(fileURLToPath(file));
		if (!('layout' in opened)) {
			throw new Error(`${key} is a font collection, not a font`);
		}
		loaded = opened;
		fonts.set(key, loaded);
	}

	return loaded;
}

/**
 * The face a run is set in: Noto Sans Arabic for Arabic letters, Noto Sans for Latin ones; digits,
 * spaces and punctuation follow the line (Noto Sans Arabic has its own, which sit better beside Arabic).
 */
function faceFor(fontDir: URL, text: string, arabicLine: boolean, weight: Weight): CardFace {
	if (ARABIC_LETTER.test(text)) {
		return 'Noto Sans Arabic';
	}
	const points = [...text].map((c) => c.codePointAt(0) ?? 0);
	const latinLetters = [...text].some((c) => bidi.getBidiCharTypeName(c) === 'L');
	if (
		arabicLine &&
		!latinLetters &&
		points.every((p) => font(fontDir, 'Noto Sans Arabic', weight).hasGlyphForCodePoint(p))
	) {
		return 'Noto Sans Arabic';
	}

	return points.every((p) => font(fontDir, 'Noto Sans', weight).hasGlyphForCodePoint(p))
		? 'Noto Sans'
		: 'Noto Sans Arabic';
}

/** Lays a line out at `size` px: its runs in visual order, each with its face, offset and shaped width. */
export function layoutLine(fontDir: URL, line: string, size: number, weight: Weight): LineLayout {
	let left = 0;
	const arabicLine = ARABIC_LETTER.test(line);
	const runs = visualRuns(line).map(({ text, rtl }) => {
		const face = faceFor(fontDir, text, arabicLine, weight);
		const shaped = font(fontDir, face, weight);
		const width = (shaped.layout(text).advanceWidth * size) / shaped.unitsPerEm;
		const run: PlacedRun = { text, rtl, face, left, width };
		left += width;
		return run;
	});

	return { runs, width: left };
}
