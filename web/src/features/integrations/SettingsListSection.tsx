import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n';
import { SecretOnce } from './SecretOnce';

/** Props of {@link SettingsListSection}. */
export interface SettingsListSectionProps<T> {
	/** Id of the heading, which names the section. */
	titleId: string;
	/** The heading. */
	title: string;
	/** What the section is for. */
	lead: string;
	/** Shows the generic error alert. */
	failed: boolean;
	/** A secret just created, shown once, and its label; null when there is none. */
	secret: { label: string; value: string | null; onDone(): void };
	/** The form that adds an item. */
	form: ReactNode;
	/** The items (null while loading). */
	items: readonly T[] | null;
	/** Shown when there are none. */
	empty: string;
	/** One item's list entry (an `<li>` with its key). */
	renderItem(item: T): ReactNode;
	/** Asks before removing one: open, the question, the confirming label and its answers. */
	confirm: { open: boolean; message: string; confirmLabel: string; onConfirm(): void; onCancel(): void };
	/** More below the list. */
	children?: ReactNode;
}

/**
 * A settings section listing the account's things (API tokens, webhooks): heading and lead, the alert,
 * a new secret shown once, the form that adds one, the list (or that there is none) and the
 * confirmation before removing one.
 */
export function SettingsListSection<T>(props: SettingsListSectionProps<T>) {
	const t = useT();
	const { items, secret } = props;

	return (
		<section className="settings-section card" aria-labelledby={props.titleId}>
			<h2 id={props.titleId}>{props.title}</h2>
			<p className="field-hint">{props.lead}</p>
			{props.failed && (
				<p className="form-error" role="alert">
					{t('error.generic')}
				</p>
			)}
			{secret.value && <SecretOnce label={secret.label} value={secret.value} onDone={secret.onDone} />}
			{props.form}
			{items?.length === 0 && <p className="empty">{props.empty}</p>}
			{items && items.length > 0 && <ul className="settings-list">{items.map(props.renderItem)}</ul>}
			{props.children}
			<ConfirmDialog {...props.confirm} />
		</section>
	);
}
