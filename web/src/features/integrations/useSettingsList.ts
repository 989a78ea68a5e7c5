import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { fieldMessages } from './fieldMessages';

/**
 * The state of a settings section that lists the account's things (API tokens, webhooks): the list,
 * loaded once; the form's field errors; the section's alert; and removing one after a confirmation.
 */
export function useSettingsList<T extends { id: string }>(
	load: (signal: AbortSignal) => Promise<T[]>,
	remove: (id: string) => Promise<unknown>
) {
	const t = useT();
	const [items, setItems] = useState<T[] | null>(null);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [failed, setFailed] = useState(false);
	const [removing, setRemoving] = useState<T | null>(null);
	// The latest callbacks, so that the list loads once however often the section renders.
	const calls = useRef({ load, remove });
	calls.current = { load, remove };

	useEffect(() => {
		const controller = new AbortController();
		calls.current
			.load(controller.signal)
			.then(setItems, (e: Error) => e.name !== 'AbortError' && setFailed(true));

		return () => controller.abort();
	}, []);

	return {
		items,
		setItems,
		errors,
		setErrors,
		failed,
		setFailed,
		/** The item whose removal awaits confirmation. */
		removing,
		setRemoving,
		/** A failed submit: its field problems beside the fields, anything else as the section's alert. */
		showFailure(error: unknown): void {
			const fields = fieldMessages(error, t);
			if (fields) {
				setErrors(fields);
			} else {
				setFailed(true);
			}
		},
		/** Removes the item being confirmed. */
		async confirmRemove(): Promise<void> {
			const item = removing;
			setRemoving(null);
			if (!item) {
				return;
			}
			try {
				await calls.current.remove(item.id);
				setItems((list) => list?.filter((x) => x.id !== item.id) ?? null);
			} catch {
				setFailed(true);
			}
		},
	};
}
