import { type RefObject, useEffect, useRef } from 'react';

/** What {@link useModalDialog} does around the dialog's opening and closing. */
export interface ModalDialogHooks {
	/** Just before the dialog opens (e.g. to remember what had focus). */
	opening?(): void;
	/** Just after it closes (e.g. to give focus back). */
	closed?(): void;
}

/**
 * A ref for a <dialog> that is shown modally while `open` is true (the browser traps focus and maps
 * Escape to cancel) and closed when it turns false.
 */
export function useModalDialog(
	open: boolean,
	hooks: ModalDialogHooks = {}
): RefObject<HTMLDialogElement | null> {
	const ref = useRef<HTMLDialogElement>(null);
	// The latest hooks, so callers can pass inline functions without reopening the dialog.
	const latest = useRef(hooks);
	latest.current = hooks;

	useEffect(() => {
		const dialog = ref.current;
		if (open && dialog && !dialog.open) {
			latest.current.opening?.();
			dialog.showModal();
		} else if (!open && dialog?.open) {
			dialog.close();
			latest.current.closed?.();
		}
	}, [open]);

	return ref;
}
