// Characters that take no room on screen: white space, format controls (zero-width space and joiners,
// bidi marks, the BOM), other controls, and the fillers that render as blanks (Hangul, Braille).
const INVISIBLE = /[\s\p{Cf}\p{Cc}\p{Zs}\u115F\u1160\u2800\u3164\uFFA0]/gu;

/** Whether `text` shows at least one visible character (a name of only zero-width spaces does not). */
export function hasVisibleText(text: string): boolean {
	return text.replace(INVISIBLE, '').length > 0;
}
