/**
 * Copies `text` to the clipboard; where the Clipboard API is missing (plain http) or denied, selects the
 * field showing it and asks the browser to copy, so Ctrl+C works at worst.
 */
export async function copyText(
	text: string,
	field: HTMLInputElement | HTMLTextAreaElement | null
): Promise<void> {
	try {
		await navigator.clipboard.writeText(text);
	} catch {
		field?.select();
		document.execCommand?.('copy');
	}
}
