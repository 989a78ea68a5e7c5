import { useCallback } from 'react';
import { create } from 'zustand';
import { ar } from './ar';
import { type Dictionary, en, type MessageKey, type Plural } from './en';

export type { Dictionary, MessageKey, Plural } from './en';

/** UI languages. */
export const Lang = { En: 'en', Ar: 'ar' } as const;
/** One of {@link Lang}'s values. */
export type Lang = (typeof Lang)[keyof typeof Lang];

/** Values substituted into `{name}` placeholders; `count` also picks the plural form. */
export type Vars = Record<string, string | number>;

/** A translator bound to one language. */
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** Every dictionary by language. */
export const dictionaries: Record<Lang, Dictionary> = { en, ar };

const STORAGE_KEY = 'majlis.lang';

// Latin digits in both languages: common in Arabic interfaces, and numbers stay comparable across languages.
const locales: Record<Lang, string> = { en: 'en', ar: 'ar-u-nu-latn' };

/** The BCP 47 locale used for number and date formatting in `lang`. */
export function localeOf(lang: Lang): string {
	return locales[lang];
}

/** Whether a value is one of the supported languages. */
export function isLang(value: unknown): value is Lang {
	return value === Lang.En || value === Lang.Ar;
}

function pickPlural(lang: Lang, message: Plural, count: number): string {
	// Exact zero gets its own wording where the language has one (English "No listeners").
	if (count === 0 && message.zero !== undefined) {
		return message.zero;
	}
	const category = new Intl.PluralRules(localeOf(lang)).select(count) as keyof Plural;

	return message[category] ?? message.other;
}

/** Translates `key` into `lang`, filling `{placeholders}` from `vars` (numbers are formatted for the locale). */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
	const message = dictionaries[lang][key];
	const template =
		typeof message === 'string' ? message : pickPlural(lang, message, Number(vars?.count ?? Number.NaN));

	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = vars?.[name];
		if (value === undefined) {
			return whole;
		}

		return typeof value === 'number' ? new Intl.NumberFormat(localeOf(lang)).format(value) : value;
	});
}

// Times carry their time zone's name: a room link travels across zones, and "20:00" alone misleads.
// (dateStyle/timeStyle cannot be combined with timeZoneName, hence the spelled-out fields.)
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };

/** Formats an ISO date-time for display in `lang`, with the time zone's name. */
export function formatDateTime(lang: Lang, iso: string | number, timeZone?: string): string {
	return new Intl.DateTimeFormat(localeOf(lang), {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		...TIME,
		timeZone,
	}).format(new Date(iso));
}

/** Formats a time of day (ms since epoch) for display in `lang`, with the time zone's name. */
export function formatTime(lang: Lang, at: number, timeZone?: string): string {
	return new Intl.DateTimeFormat(localeOf(lang), { ...TIME, timeZone }).format(new Date(at));
}

/** The language to start with: the remembered choice, else the browser's preference. */
export function initialLang(): Lang {
	try {
		const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
		if (isLang(stored)) {
			return stored;
		}
	} catch {
		// Storage can be disabled; fall back to the browser language.
	}
	const preferred = globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? 'en';

	return preferred.toLowerCase().startsWith('ar') ? Lang.Ar : Lang.En;
}

/** Sets `lang` and `dir` on <html> so the whole layout mirrors through CSS logical properties. */
export function applyLangToDocument(lang: Lang): void {
	const html = document.documentElement;
	html.lang = lang;
	html.dir = lang === Lang.Ar ? 'rtl' : 'ltr';
	document.title = translate(lang, 'app.name');
}

/** State of the language store. */
export interface LangState {
	/** Current UI language. */
	lang: Lang;
	/** Switches the language, remembers it and updates <html>. */
	setLang(lang: Lang): void;
}

/** The current UI language (remembered in localStorage). */
export const useLangStore = create<LangState>()((set) => ({
	lang: initialLang(),
	setLang(lang) {
		try {
			localStorage.setItem(STORAGE_KEY, lang);
		} catch {
			// Not remembered, but still switched.
		}
		applyLangToDocument(lang);
		set({ lang });
	},
}));

/** A translator for the current language; components re-render when it changes. */
export function useT(): Translate {
	const lang = useLangStore((s) => s.lang);

	return useCallback((key: MessageKey, vars?: Vars) => translate(lang, key, vars), [lang]);
}
