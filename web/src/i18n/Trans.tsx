import { Fragment, type ReactNode } from 'react';
import { dictionaries, type Lang, localeOf, type MessageKey, useLangStore } from './index';

/**
 * A translated message with React nodes in its `{placeholders}`, e.g. a name inside <bdi> so an Arabic
 * name in an English sentence (or the reverse) keeps its own direction.
 */
export function Trans({ k, values }: { k: MessageKey; values: Record<string, ReactNode> }) {
	const lang = useLangStore((s) => s.lang);
	const message = dictionaries[lang][k];
	const template = typeof message === 'string' ? message : message.other;
	const parts = template.split(/(\{\w+\})/);

	return (
		<>
			{parts.map((part, i) => {
				const name = /^\{(\w+)\}$/.exec(part)?.[1];

				// biome-ignore lint/suspicious/noArrayIndexKey: the parts of one template never reorder.
				return <Fragment key={i}>{name !== undefined && name in values ? values[name] : part}</Fragment>;
			})}
		</>
	);
}

/** A list of names joined for `lang` ("A, B and C"), each name direction-isolated. */
export function NameList({ lang, names }: { lang: Lang; names: readonly string[] }) {
	const parts = new Intl.ListFormat(localeOf(lang), { style: 'long', type: 'conjunction' }).formatToParts(
		names
	);

	return (
		<>
			{parts.map((part, i) =>
				part.type === 'element' ? (
					// biome-ignore lint/suspicious/noArrayIndexKey: list parts are positional.
					<bdi key={i}>{part.value}</bdi>
				) : (
					// biome-ignore lint/suspicious/noArrayIndexKey: list parts are positional.
					<Fragment key={i}>{part.value}</Fragment>
				)
			)}
		</>
	);
}
