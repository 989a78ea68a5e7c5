// Dark enough for white initials to pass WCAG AA (≥ 4.5:1) on every entry.
const palette = ['#0b5f58', '#5b3f8c', '#8a3b12', '#1f4e8c', '#7a2e4d', '#3d5a1e', '#8c2f2f', '#4a4a6a'];

function hash(text: string): number {
	let h = 0;
	for (let i = 0; i < text.length; i++) {
		h = (h * 31 + text.charCodeAt(i)) | 0;
	}

	return Math.abs(h);
}

// The Arabic definite article is not part of the name's sound: نور الهدى is ن ه, not ن ا.
function withoutArticle(word: string): string {
	return word.length > 3 && word.startsWith('ال') ? word.slice(2) : word;
}

const ARABIC = /\p{Script=Arabic}/u;

function firstLetter(word: string): string {
	return Array.from(withoutArticle(word))[0] ?? '';
}

/**
 * Up to two initials of a display name (works for Arabic names too). Both come from one script: a mixed
 * name such as "Omar عمر" would otherwise pair letters that shape and read in opposite directions.
 */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/).filter(Boolean);
	const first = firstLetter(words[0] ?? '?') || '?';
	const arabic = ARABIC.test(first);
	const last = words
		.slice(1)
		.map(firstLetter)
		.findLast((letter) => letter !== '' && ARABIC.test(letter) === arabic);

	return `${first}${last ?? ''}`.toUpperCase();
}

/** Props of {@link Avatar}. */
export interface AvatarProps {
	/** Stable id (picks the colour). */
	id: string;
	/** Name to take initials from. */
	name: string;
	/** Size variant. */
	size?: 'small' | 'large';
	/** Draws the speaking ring. */
	speaking?: boolean;
}

/** A round avatar with initials; decorative, since the name is always shown next to it. */
export function Avatar({ id, name, size = 'small', speaking = false }: AvatarProps) {
	return (
		<span
			className={`avatar avatar-${size}${speaking ? ' avatar-speaking' : ''}`}
			style={{ backgroundColor: palette[hash(id) % palette.length] }}
			aria-hidden="true"
		>
			{initials(name)}
		</span>
	);
}
