import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { layoutLine } from './card-text.js';

/** The size every share card is drawn at: what Open Graph and X (`summary_large_image`) expect. */
export const CARD_WIDTH = 1200;
/** See {@link CARD_WIDTH}. */
export const CARD_HEIGHT = 630;

/** The language a card is laid out in: Arabic right to left, English left to right. */
export type CardLanguage = 'ar' | 'en';

/** What one card shows, already localized. */
export interface CardContent {
	language: CardLanguage;
	/** A short label on a pill (e.g. "Live now"); `live` colours it. */
	badge: string;
	live: boolean;
	/** The big text (a room title, a person's name); wrapped to at most three lines. */
	title: string;
	/** Smaller lines under the title (host, time). */
	lines: readonly string[];
}

// Shipped with the code (OFL, see assets/fonts/OFL.txt), never read from the system: the card looks the
// same on every machine and Arabic always has a font that shapes it.
const FONT_DIR = new URL('../../../../assets/fonts/', import.meta.url);
/** The font files every card is drawn with. */
export const CARD_FONT_FILES: readonly string[] = [
	'NotoSansArabic-Regular.ttf',
	'NotoSansArabic-Bold.ttf',
	'NotoSans-Regular.ttf',
	'NotoSans-Bold.ttf',
].map((name) => fileURLToPath(new URL(name, FONT_DIR)));

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/u;

/** The font list of a single-script label (badge, brand): its own script's face first. */
export function fontFor(line: string): string {
	return ARABIC.test(line) ? `'Noto Sans Arabic', 'Noto Sans'` : `'Noto Sans', 'Noto Sans Arabic'`;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Splits `text` at spaces into at most `maxLines` lines that each `fit`, with an ellipsis when it does not
 * all fit (a single word too long for a line is cut).
 */
export function wrapText(text: string, fits: (line: string) => boolean, maxLines: number): string[] {
	const words = text.trim().split(/\s+/).filter(Boolean);
	const lines: string[] = [];
	let current = '';
	for (const word of words) {
		const next = current ? `${current} ${word}` : word;
		if (fits(next) || !current) {
			current = next;
			continue;
		}
		lines.push(current);
		current = word;
	}
	if (current) {
		lines.push(current);
	}
	const shorten = (line: string) => {
		let chars = [...line];
		while (chars.length > 1 && !fits(`${chars.join('')}…`)) {
			chars = chars.slice(0, -1);
		}
		return `${chars.join('').trimEnd()}…`;
	};
	const cut = lines.slice(0, maxLines).map((line) => (fits(line) ? line : shorten(line)));
	if (lines.length > maxLines) {
		cut[maxLines - 1] = shorten(cut[maxLines - 1] ?? '');
	}

	return cut;
}

/** The card as SVG: brand, badge, title and detail lines, mirrored for right-to-left languages. */
export function cardSvg(content: CardContent): string {
	const rtl = content.language === 'ar';
	const margin = 80;
	const measure = 1040;
	// Each line is laid out here, run by run in visual order (card-text.ts), and flush right on an Arabic
	// card, flush left on an English one; every run is centred on its own box so its direction does not
	// move it.
	const text = (y: number, size: number, weight: 400 | 700, fill: string, value: string) => {
		const line = layoutLine(FONT_DIR, value, size, weight);
		const lineLeft = rtl ? CARD_WIDTH - margin - line.width : margin;
		return line.runs
			.map(
				(run) =>
					`<text x="${(lineLeft + run.left + run.width / 2).toFixed(1)}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="middle" direction="${run.rtl ? 'rtl' : 'ltr'}" xml:space="preserve" font-family="'${run.face}'">${escapeXml(run.text)}</text>`
			)
			.join('');
	};
	const maxTitleLines = content.lines.length > 2 ? 2 : 3;
	const fitsAt = (size: number, weight: 400 | 700) => (line: string) =>
		layoutLine(FONT_DIR, line, size, weight).width <= measure;
	let titleSize = 64;
	let titleLines = wrapText(content.title, fitsAt(titleSize, 700), maxTitleLines);
	if (titleLines.length > 2) {
		titleSize = 56;
		titleLines = wrapText(content.title, fitsAt(titleSize, 700), maxTitleLines);
	}
	const title = titleLines.map((line, i) =>
		text(230 + i * (titleSize + 22), titleSize, 700, '#ffffff', line)
	);
	const detailTop = 230 + titleLines.length * (titleSize + 22) + 30;
	const details = content.lines
		.slice(0, 3)
		.map((line, i) =>
			text(detailTop + i * 48, 34, 400, '#d7ece9', wrapText(line, fitsAt(34, 400), 1)[0] ?? '')
		);
	const badgeWidth = 60 + [...content.badge].length * 22;
	const badgeX = rtl ? CARD_WIDTH - margin - badgeWidth : margin;
	const brandX = rtl ? margin : CARD_WIDTH - margin;

	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">`,
		'<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0b5f58"/><stop offset="1" stop-color="#062f2c"/></linearGradient></defs>',
		`<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="url(#bg)"/>`,
		`<rect x="${badgeX}" y="80" width="${badgeWidth}" height="56" rx="28" fill="${content.live ? '#d93f3f' : '#ffffff'}" fill-opacity="${content.live ? 1 : 0.16}"/>`,
		`<text x="${badgeX + badgeWidth / 2}" y="118" font-size="28" font-weight="700" fill="#ffffff" text-anchor="middle" font-family="${fontFor(content.badge)}">${escapeXml(content.badge)}</text>`,
		`<text x="${brandX}" y="120" font-size="40" font-weight="700" fill="#ffffff" text-anchor="${rtl ? 'start' : 'end'}" font-family="${fontFor(rtl ? 'مجلس' : 'Majlis')}">${rtl ? 'مجلس' : 'Majlis'}</text>`,
		...title,
		...details,
		`<rect x="0" y="${CARD_HEIGHT - 16}" width="${CARD_WIDTH}" height="16" fill="#f2b544"/>`,
		'</svg>',
	].join('');
}

/** Renders SVG to PNG with the shipped fonts only (no system fonts: the output is reproducible). */
export function renderSvg(svg: string, fontFiles: readonly string[] = CARD_FONT_FILES): Buffer {
	const resvg = new Resvg(svg, {
		font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: 'Noto Sans' },
		fitTo: { mode: 'original' },
	});

	return resvg.render().asPng();
}

/** Draws `content` as a 1200×630 PNG. */
export function renderCard(content: CardContent): Buffer {
	return renderSvg(cardSvg(content));
}
