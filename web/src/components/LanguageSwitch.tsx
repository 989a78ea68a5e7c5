import { Lang, useLangStore, useT } from '../i18n';

/** Switches between English and Arabic; the choice is remembered. */
export function LanguageSwitch() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const setLang = useLangStore((s) => s.setLang);
	const other = lang === Lang.Ar ? Lang.En : Lang.Ar;

	return (
		<button
			type="button"
			className="button button-quiet lang-switch"
			lang={other}
			title={t('lang.switchLabel')}
			onClick={() => setLang(other)}
		>
			{t('lang.switch')}
		</button>
	);
}
