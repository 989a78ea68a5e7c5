import { Fragment, type ReactNode } from 'react';

// A URL runs to the next white space; trailing punctuation is left out of the link.
const URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]}'،؛؟]/giu;

/**
 * A chat message's text, isolated from its surroundings (`dir="auto"` on a `bdi`: an Arabic message
 * with English words, or the reverse, keeps its own order whatever the page's direction). Only https
 * links become links (they open in a new tab without the page's referrer); http ones stay text.
 */
export function ChatText({ text }: { text: string }) {
	const parts: ReactNode[] = [];
	let at = 0;
	for (const match of text.matchAll(URL)) {
		const start = match.index;
		const url = match[0];
		if (!/^https:\/\//i.test(url)) {
			continue;
		}
		if (start > at) {
			parts.push(<Fragment key={at}>{text.slice(at, start)}</Fragment>);
		}
		parts.push(
			<a key={start} href={url} target="_blank" rel="noopener noreferrer nofollow ugc">
				{url}
			</a>
		);
		at = start + url.length;
	}
	if (at < text.length) {
		parts.push(<Fragment key={at}>{text.slice(at)}</Fragment>);
	}

	return (
		<bdi dir="auto" className="chat-text">
			{parts}
		</bdi>
	);
}
