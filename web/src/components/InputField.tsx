import type { InputHTMLAttributes } from 'react';
import { Field, type FieldProps } from './Field';

/** Props of {@link InputField}: the field's (label, hint, error, counter) and the input's own attributes. */
export interface InputFieldProps
	extends Omit<FieldProps, 'children'>,
		Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'children'> {
	/** The value. */
	value: string;
	/** Called with the new value as it is typed. */
	onChange(value: string): void;
}

/** A labelled text input (or password, search, number…; see {@link Field}): the form fields' usual case. */
export function InputField({ label, hint, error, counter, onChange, ...input }: InputFieldProps) {
	return (
		<Field label={label} hint={hint} error={error} counter={counter}>
			{(props) => <input {...props} {...input} onChange={(e) => onChange(e.target.value)} />}
		</Field>
	);
}
