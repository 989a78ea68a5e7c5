import type { ControlProps } from '../../components/Field';
import { useT } from '../../i18n';
import { ROOM_LANGUAGES } from './languages';

/** Props of {@link LanguageSelect}: the {@link Field} wiring, the value and what "no language" is called. */
export interface LanguageSelectProps extends ControlProps {
	value: string;
	/** Label of the empty choice ("any language" in a filter, "not set" on a room). */
	emptyLabel: string;
	onChange(value: string): void;
}

/** A `language` select over {@link ROOM_LANGUAGES}, with an empty first choice. */
export function LanguageSelect({ value, emptyLabel, onChange, ...props }: LanguageSelectProps) {
	const t = useT();

	return (
		<select {...props} name="language" value={value} onChange={(e) => onChange(e.target.value)}>
			<option value="">{emptyLabel}</option>
			{ROOM_LANGUAGES.map((code) => (
				<option key={code} value={code}>
					{t(`language.${code}`)}
				</option>
			))}
		</select>
	);
}
