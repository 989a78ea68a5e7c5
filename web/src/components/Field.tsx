import { type ReactNode, useId } from 'react';
import { useT } from '../i18n';

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
	/** A visible "12 / 100" counter of the value's characters against its limit (instead of cutting it). */
	counter?: { length: number; max: number };
	/** Renders the control with the given props. */
	children(props: ControlProps): ReactNode;
}

/** A labelled form field: label, hint and error wired to the control with aria-describedby/aria-invalid. */
export function Field({ label, hint, error, counter, children }: FieldProps) {
	const t = useT();
	const id = useId();
	const hintId = `${id}-hint`;
	const errorId = `${id}-error`;
	const countId = `${id}-count`;
	const describedBy = [hint ? hintId : null, counter ? countId : null, error ? errorId : null]
		.filter(Boolean)
		.join(' ');
	const over = counter !== undefined && counter.length > counter.max;

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
			{counter && (
				<p id={countId} className={over ? 'field-count field-count-over' : 'field-count'}>
					{t('form.count', { count: counter.length, max: counter.max })}
				</p>
			)}
			{error && (
				<p id={errorId} className="field-error">
					{error}
				</p>
			)}
		</div>
	);
}
