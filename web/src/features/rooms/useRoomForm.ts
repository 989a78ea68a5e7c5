import type { User } from '@majlis/protocol';
import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { errorMessageKey } from '../../app/errorMessage';
import { navigate } from '../../app/router';
import type { MessageKey } from '../../i18n';
import { type FieldErrors, focusFirstInvalid, splitSubmitError } from '../auth/fieldErrors';
import {
	emptyRoomForm,
	formFieldErrors,
	type RoomFormOriginal,
	type RoomFormState,
	roomFormFrom,
	validateRoomForm,
} from './roomForm';
import { deleteRoom, getRoom, listGuests } from './roomsApi';
import { saveRoomForm } from './saveRoomLists';

/** What {@link useRoomForm} gives the schedule page. */
export interface RoomFormController {
	/** The form's values. */
	form: RoomFormState;
	/** Sets one field. */
	set<K extends keyof RoomFormState>(key: K, value: RoomFormState[K]): void;
	/** The room being edited as loaded (null while loading, and for a new room). */
	original: RoomFormOriginal | null;
	/** Why the room could not be loaded. */
	loadError: MessageKey | null;
	/** Problems by field. */
	errors: FieldErrors;
	/** The form-level message. */
	formError: MessageKey | null;
	/** Whether a save is under way. */
	busy: boolean;
	/** Whether the room being edited is still loading. */
	loading: boolean;
	/** The form element, to focus its first invalid field. */
	formRef: RefObject<HTMLFormElement | null>;
	/** Submit handler: validates, saves, then opens the room. */
	submit(event: FormEvent): Promise<void>;
	/** Deletes the room being edited, then goes home. */
	remove(): Promise<void>;
}

/** State and actions of the schedule form for a new room (no `roomId`) or the room `roomId`. */
export function useRoomForm(roomId: string | undefined, user: User | null): RoomFormController {
	const [form, setForm] = useState<RoomFormState>(emptyRoomForm);
	const [original, setOriginal] = useState<RoomFormOriginal | null>(null);
	const [loadError, setLoadError] = useState<MessageKey | null>(null);
	const [errors, setErrors] = useState<FieldErrors>({});
	const [formError, setFormError] = useState<MessageKey | null>(null);
	const [busy, setBusy] = useState(false);
	const formRef = useRef<HTMLFormElement>(null);

	useEffect(() => {
		if (!roomId || !user) {
			return;
		}
		const controller = new AbortController();
		Promise.all([getRoom(roomId, controller.signal), listGuests(roomId)]).then(
			([room, guests]) => {
				const loaded = { room, guests: guests.map((g) => ({ user: g.user, kind: g.kind })) };
				setOriginal(loaded);
				setForm(roomFormFrom(loaded));
			},
			(error: Error) => {
				if (error.name !== 'AbortError') {
					setLoadError(errorMessageKey(error));
				}
			}
		);

		return () => controller.abort();
	}, [roomId, user]);

	async function submit(event: FormEvent) {
		event.preventDefault();
		const found = validateRoomForm(form, original, Date.now());
		setErrors(found);
		if (Object.keys(found).length > 0) {
			setFormError('form.fixErrors');
			focusFirstInvalid(formRef);

			return;
		}
		setBusy(true);
		setFormError(null);
		try {
			const room = await saveRoomForm(roomId, form, original);
			navigate(`/rooms/${room.id}`);
		} catch (error) {
			const split = splitSubmitError(error);
			setErrors(formFieldErrors(split.fields));
			setFormError(split.form);
			focusFirstInvalid(formRef);
		} finally {
			setBusy(false);
		}
	}

	async function remove() {
		if (!roomId) {
			return;
		}
		try {
			await deleteRoom(roomId);
			navigate('/', { replace: true });
		} catch (error) {
			setFormError(errorMessageKey(error));
		}
	}

	return {
		form,
		set: (key, value) => {
			const next = { ...form, [key]: value };
			setForm(next);
			// A shown error goes away as soon as the field is valid again.
			if (errors[key] && !validateRoomForm(next, original, Date.now())[key]) {
				setErrors(({ [key]: _, ...rest }) => rest);
			}
		},
		original,
		loadError,
		errors,
		formError,
		busy,
		loading: Boolean(roomId && !original),
		formRef,
		submit,
		remove,
	};
}
