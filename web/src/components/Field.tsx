import { type ReactNode, useId } from 'react';

/** Props a form control gets from {@link Field} to be labelled and described. */
export interface ControlProps {
	id: string;
	'aria-describedby'?: string;
	'aria-invalid'?: true;
}

/** Props of {@link Field}. */
export interface FieldProps {
	/** Visible label. */
	label: string;
	/** Help text under the label. */
	hint?: string;
	/** Error shown next to the control (sets aria-invalid). */
	error?: string | null;
	/** Renders the control with the given props. */
	children(props: ControlProps): ReactNode;
}

/** A labelled form field: label, hint and error wired to the control with aria-describedby/aria-invalid. */
export function Field({ label, hint, error, children }: FieldProps) {
	const id = useId();
	const hintId = `${id}-hint`;
	const errorId = `${id}-error`;
	const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');

	return (
		<div className={error ? 'field field-invalid' : 'field'}>
			<label htmlFor={id} className="field-label">
				{label}
			</label>
			{hint && (
				<p id={hintId} className="field-hint">
					{hint}
				</p>
			)}
			{children({
				id,
				...(describedBy ? { 'aria-describedby': describedBy } : {}),
				...(error ? { 'aria-invalid': true as const } : {}),
			})}
			{error && (
				<p id={errorId} className="field-error">
					{error}
				</p>
			)}
		</div>
	);
}
