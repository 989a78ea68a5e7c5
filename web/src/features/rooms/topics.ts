/** Splits a topics field on Latin or Arabic commas, trimming `#` and duplicates. */
export function parseTopics(text: string): string[] {
	const topics = text
		.split(/[,،]/)
		.map((s) => s.trim().replace(/^#/, ''))
		.filter(Boolean);

	return [...new Set(topics)];
}
