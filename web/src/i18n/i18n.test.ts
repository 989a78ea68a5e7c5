import { describe, expect, test } from 'vitest';
import { ar } from './ar';
import { en, type Plural } from './en';
import { dictionaries, formatDateTime, formatTime, translate } from './index';

function placeholders(message: string | Plural): Set<string> {
	const texts = typeof message === 'string' ? [message] : Object.values(message);
	const names = new Set<string>();
	for (const text of texts) {
		for (const match of (text as string).matchAll(/\{(\w+)\}/g)) {
			names.add(match[1]!);
		}
	}

	return names;
}

describe('dictionaries', () => {
	test('ar has exactly the keys of en', () => {
		expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
	});

	test.each(Object.keys(dictionaries))('%s has no empty message and plurals have "other"', (lang) => {
		for (const [key, message] of Object.entries(dictionaries[lang as 'en' | 'ar'])) {
			if (typeof message === 'string') {
				expect(message.trim(), key).not.toBe('');
			} else {
				expect(message.other.trim(), key).not.toBe('');
			}
		}
	});

	test('ar uses the same placeholders as en (except count, which plural forms may spell out)', () => {
		for (const key of Object.keys(en) as (keyof typeof en)[]) {
			const want = placeholders(en[key]);
			const got = placeholders(ar[key]);
			want.delete('count');
			got.delete('count');
			expect([...got].sort(), key).toEqual([...want].sort());
		}
	});

	test('plural shapes match: a key is plural in ar exactly when it is plural in en', () => {
		for (const key of Object.keys(en) as (keyof typeof en)[]) {
			expect(typeof ar[key], key).toBe(typeof en[key]);
		}
	});

	test('Arabic strings are written in Arabic script', () => {
		const latinOnly = Object.entries(ar).filter(([key, m]) => {
			const text = typeof m === 'string' ? m : m.other;

			return key !== 'lang.switch' && !/[\u0600-\u06FF]/.test(text);
		});
		expect(latinOnly).toEqual([]);
	});
});

describe('translate()', () => {
	test('fills placeholders and formats numbers', () => {
		expect(translate('en', 'room.invitedBy', { name: 'Layla' })).toBe('Layla invited you to speak');
		expect(translate('en', 'room.listenerCount', { count: 1200 })).toBe('1,200 listeners');
	});

	test('picks English plural forms, with a zero wording', () => {
		expect(translate('en', 'room.listenerCount', { count: 0 })).toBe('No listeners');
		expect(translate('en', 'room.listenerCount', { count: 1 })).toBe('1 listener');
		expect(translate('en', 'room.listenerCount', { count: 2 })).toBe('2 listeners');
	});

	test('picks Arabic plural forms (one, two, few, many, other) with Latin digits', () => {
		expect(translate('ar', 'room.listenerCount', { count: 0 })).toBe('لا مستمعين');
		expect(translate('ar', 'room.listenerCount', { count: 1 })).toBe('مستمع واحد');
		expect(translate('ar', 'room.listenerCount', { count: 2 })).toBe('مستمعان');
		expect(translate('ar', 'room.listenerCount', { count: 5 })).toBe('5 مستمعين');
		expect(translate('ar', 'room.listenerCount', { count: 11 })).toBe('11 مستمعًا');
		expect(translate('ar', 'room.listenerCount', { count: 100 })).toBe('100 مستمع');
	});

	test('leaves unknown placeholders visible rather than dropping them', () => {
		expect(translate('en', 'room.invitedBy')).toBe('{name} invited you to speak');
	});
});

describe('times', () => {
	const at = Date.UTC(2026, 11, 1, 18, 30);

	test('carry the time zone name in both languages', () => {
		expect(formatTime('en', at, 'UTC')).toMatch(/6:30\sPM UTC/);
		expect(formatDateTime('en', at, 'Asia/Dubai')).toMatch(/Dec 1, 2026.*10:30\sPM GMT\+4/);
		expect(formatDateTime('ar', at, 'UTC')).toMatch(/2026.*6:30.*UTC/);
	});
});
