import { Resvg } from '@resvg/resvg-js';
import { describe, expect, test } from 'vitest';
import { CARD_FONT_FILES, type CardContent, cardSvg } from './card-image.js';
import { isolateLtr, layoutLine, visualRuns } from './card-text.js';

const FONT_DIR = new URL('../../../../assets/fonts/', import.meta.url);

describe('visualRuns (UAX #9 through bidi-js)', () => {
	test('a Latin handle in an Arabic line: the name reads first (rightmost), the handle keeps its @ in front', () => {
		// The parentheses are mirrored: in right-to-left text "(" opens on the right.
		expect(visualRuns(`مريم (${isolateLtr('@maryam')})`)).toEqual([
			{ text: '(', rtl: false },
			{ text: '@maryam', rtl: false },
			{ text: ') ', rtl: false },
			{ text: 'مريم', rtl: true },
		]);
	});

	test('digits inside Arabic stay between the words around them', () => {
		expect(visualRuns('الساعة 8 مساءً')).toEqual([
			{ text: 'مساءً', rtl: true },
			{ text: ' ', rtl: false },
			{ text: '8', rtl: false },
			{ text: ' ', rtl: false },
			{ text: 'الساعة', rtl: true },
		]);
		// Words and the spaces between them inside one run stay one piece.
		expect(visualRuns('مجلس الشعر العربي')).toEqual([{ text: 'مجلس الشعر العربي', rtl: true }]);
	});

	test('the first strong letter sets the direction: an English line with an Arabic word', () => {
		expect(visualRuns('Hosted by مريم today')).toEqual([
			{ text: 'Hosted by ', rtl: false },
			{ text: 'مريم', rtl: true },
			{ text: ' today', rtl: false },
		]);
		expect(visualRuns('')).toEqual([]);
	});

	test('layout: runs sit side by side in visual order, each in the face of its script', () => {
		const line = layoutLine(FONT_DIR, 'يستضيفها John Smith', 34, 400);
		expect(line.runs.map((r) => [r.text, r.face])).toEqual([
			['John Smith', 'Noto Sans'],
			[' ', 'Noto Sans Arabic'],
			['يستضيفها', 'Noto Sans Arabic'],
		]);
		expect(line.runs[0]?.left).toBe(0);
		expect(line.runs[1]?.left).toBeCloseTo(line.runs[0]?.width ?? 0);
		expect(line.width).toBeCloseTo(line.runs.reduce((sum, run) => sum + run.width, 0));
		expect(line.width).toBeGreaterThan(200);
	});
});

// The card's pixels in a box (x0..x1, y0..y1), RGBA.
function box(content: CardContent, x0: number, x1: number, y0: number, y1: number): Buffer {
	const image = new Resvg(cardSvg(content), {
		font: { fontFiles: [...CARD_FONT_FILES], loadSystemFonts: false },
	}).render();
	const rows: Buffer[] = [];
	for (let y = y0; y < y1; y++) {
		rows.push(Buffer.from(image.pixels.subarray((y * image.width + x0) * 4, (y * image.width + x1) * 4)));
	}

	return Buffer.concat(rows);
}

// How far apart two boxes' coverage is: 0 the same, 1 nothing in common (alpha over the background's
// gradient is not available, so the brightness of the white text is used).
function difference(a: Buffer, b: Buffer): number {
	let diff = 0;
	let ink = 0;
	for (let i = 0; i < a.length; i += 4) {
		const la = (a[i] ?? 0) + (a[i + 1] ?? 0) + (a[i + 2] ?? 0);
		const lb = (b[i] ?? 0) + (b[i + 1] ?? 0) + (b[i + 2] ?? 0);
		diff += Math.abs(la - lb);
		ink += Math.max(la, lb);
	}

	return diff / ink;
}

describe('mixed lines on a card are drawn in reading order', () => {
	const base = { badge: 'مباشر الآن', live: true, lines: [] };
	// The title's first line: baseline at y 230, 64 px.
	const TITLE_ROWS = [160, 250] as const;

	test('Arabic card: the Arabic name stands at the right margin, as it does alone', () => {
		const name = layoutLine(FONT_DIR, 'مريم', 64, 700).width;
		const right = (title: string) =>
			box({ ...base, language: 'ar', title }, Math.floor(1120 - name) + 1, 1120, ...TITLE_ROWS);
		expect(difference(right(`مريم (${isolateLtr('@maryam')})`), right('مريم'))).toBeLessThan(0.05);
		expect(difference(right('الساعة 8 مساءً'), right('مريم'))).toBeGreaterThan(0.2);
	});

	test('English card: the English words stand at the left margin, as they do alone', () => {
		const words = layoutLine(FONT_DIR, 'Talk with', 64, 700).width;
		const left = (title: string) =>
			box(
				{ ...base, language: 'en', badge: 'Live now', title },
				80,
				Math.ceil(80 + words) - 1,
				...TITLE_ROWS
			);
		expect(difference(left('Talk with مريم'), left('Talk with'))).toBeLessThan(0.05);
		expect(difference(left('مريم talks'), left('Talk with'))).toBeGreaterThan(0.2);
	});
});
