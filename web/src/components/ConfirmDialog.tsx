import { useId } from 'react';
import { useT } from '../i18n';
import { useModalDialog } from './useModalDialog';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
	/** Whether it is shown. */
	open: boolean;
	/** The question. */
	message: string;
	/** Label of the confirming button (repeats the action, e.g. "End room"). */
	confirmLabel: string;
	/** Called on confirm. */
	onConfirm(): void;
	/** Called on cancel, Escape or backdrop. */
	onCancel(): void;
}

/** A modal confirmation for destructive actions, built on <dialog> (focus trap and Escape for free). */
export function ConfirmDialog({ open, message, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
	const t = useT();
	const ref = useModalDialog(open);
	const messageId = useId();

	return (
		<dialog
			ref={ref}
			className="dialog"
			aria-labelledby={messageId}
			onClose={() => open && onCancel()}
			onCancel={(e) => {
				e.preventDefault();
				onCancel();
			}}
		>
			<p id={messageId} className="dialog-message">
				{message}
			</p>
			<div className="dialog-actions">
				<button type="button" className="button button-quiet" onClick={onCancel}>
					{t('room.close')}
				</button>
				<button type="button" className="button button-danger" onClick={onConfirm}>
					{confirmLabel}
				</button>
			</div>
		</dialog>
	);
}
