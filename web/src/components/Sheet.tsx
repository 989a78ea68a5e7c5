import { type ReactNode, useId, useRef } from 'react';
import { useT } from '../i18n';
import { useModalDialog } from './useModalDialog';

/** Props of {@link Sheet}. */
export interface SheetProps {
	/** Whether it is shown. */
	open: boolean;
	/** The sheet's name (its heading and the dialog's accessible name). */
	title: string;
	/** Called on Close, Escape or a tap on the backdrop. */
	onClose(): void;
	/** The content (mounted only while open, unless `keepMounted`). */
	children: ReactNode;
	/** Keep the content mounted while closed (it holds state, e.g. the chat's messages). */
	keepMounted?: boolean;
}

/**
 * A bottom sheet for phones: a modal <dialog> (the browser traps focus and maps Escape to cancel) that
 * slides up from the thumb's edge. Focus goes back to whatever opened it when it closes.
 */
export function Sheet({ open, title, onClose, children, keepMounted = false }: SheetProps) {
	const t = useT();
	const opener = useRef<HTMLElement | null>(null);
	const ref = useModalDialog(open, {
		opening() {
			opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
		},
		closed() {
			opener.current?.focus();
			opener.current = null;
		},
	});
	const titleId = useId();

	return (
		// biome-ignore lint/a11y/useKeyWithClickEvents: a tap on the backdrop; its keyboard twin is Escape (cancel).
		<dialog
			ref={ref}
			className="sheet"
			aria-labelledby={titleId}
			onCancel={(e) => {
				e.preventDefault();
				onClose();
			}}
			onClick={(e) => {
				// A click on the dialog element itself (not its content) is a tap on the backdrop.
				if (e.target === e.currentTarget) {
					onClose();
				}
			}}
		>
			<div className="sheet-body">
				<div className="sheet-head">
					<h2 id={titleId} className="sheet-title">
						{title}
					</h2>
					<button type="button" className="button button-quiet sheet-close" onClick={onClose}>
						{t('room.close')}
					</button>
				</div>
				{(open || keepMounted) && children}
			</div>
		</dialog>
	);
}
