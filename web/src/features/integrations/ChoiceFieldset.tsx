import type { ReactNode } from 'react';

/** Props of {@link ChoiceFieldset}. */
export interface ChoiceFieldsetProps<C extends string> {
	/** What is chosen (the legend). */
	legend: string;
	/** Every choice, in order. */
	choices: readonly C[];
	/** The choices ticked. */
	selected: readonly C[];
	/** The ticked choices after a tick or untick. */
	onChange(selected: C[]): void;
	/** A choice's label. */
	label(choice: C): ReactNode;
	/** The problem with the choice (e.g. none ticked), shown below and described by it. */
	error?: string;
	/** Id of the error text. */
	errorId: string;
}

/** A fieldset of checkboxes choosing several of a fixed list (a token's scopes, a webhook's events). */
export function ChoiceFieldset<C extends string>(props: ChoiceFieldsetProps<C>) {
	const { selected, error, errorId } = props;

	return (
		<fieldset className="checks" aria-describedby={error ? errorId : undefined}>
			<legend className="field-label">{props.legend}</legend>
			{props.choices.map((choice) => (
				<label key={choice} className="check">
					<input
						type="checkbox"
						checked={selected.includes(choice)}
						onChange={(e) =>
							props.onChange(e.target.checked ? [...selected, choice] : selected.filter((c) => c !== choice))
						}
					/>{' '}
					{props.label(choice)}
				</label>
			))}
			{error && (
				<p id={errorId} className="field-error">
					{error}
				</p>
			)}
		</fieldset>
	);
}
