/** A comma-separated setting (MAJLIS_ADMINS, CHAT_BLOCKED_WORDS) as its items, trimmed, empty ones dropped. */
export function commaList(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);
}
