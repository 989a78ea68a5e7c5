import { Field } from './Field';

/** Props of {@link PasswordField}. */
export interface PasswordFieldProps {
	/** Visible label. */
	label: string;
	/** Help text under the label. */
	hint?: string;
	/** Error shown next to the input. */
	error?: string | null;
	/** The input's name (what the browser's password manager sees). */
	name: string;
	/** Whether it asks for the password in use or a new one (password managers fill or suggest). */
	autoComplete: 'current-password' | 'new-password';
	/** The value. */
	value: string;
	/** Called with the new value as it is typed. */
	onChange(value: string): void;
	/** Writing direction, where the form sets one. */
	dir?: 'ltr';
	/** Whether it must be filled in. */
	required?: boolean;
}

/** A labelled password input (see {@link Field}). */
export function PasswordField({ label, hint, error, onChange, ...input }: PasswordFieldProps) {
	return (
		<Field label={label} hint={hint} error={error}>
			{(props) => <input {...props} type="password" {...input} onChange={(e) => onChange(e.target.value)} />}
		</Field>
	);
}
