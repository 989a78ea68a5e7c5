import type { RefObject } from 'react';
import { ApiRequestError } from '../../api';
import { errorMessageKey } from '../../app/errorMessage';
import type { MessageKey } from '../../i18n';

/** Field problems as message keys, or plain server text when no translation fits. */
export type FieldErrors = Record<string, { key: MessageKey } | { text: string }>;

/** Turns a validator's field problem into a translated message where one fits. */
export function fieldProblem(
	field: string,
	problem: string,
	code: string
): { key: MessageKey } | { text: string } {
	const p = problem.toLowerCase();
	if (field === 'handle' && (code === 'conflict' || /taken|exists|in use|unique/.test(p))) {
		return { key: 'validation.taken' };
	}
	if (/required|must have required|empty/.test(p)) {
		return { key: 'validation.required' };
	}
	if (field === 'handle' && /pattern|length|characters|match/.test(p)) {
		return { key: 'validation.handle' };
	}
	if (field === 'password' && /length|short|characters|least/.test(p)) {
		return { key: 'validation.password' };
	}
	if (/maxlength|too long|more than|fewer than|at most/.test(p)) {
		return { key: 'validation.tooLong' };
	}

	return { text: problem };
}

/** Splits a failed submit into per-field errors and a form-level message. */
export function splitSubmitError(error: unknown): { fields: FieldErrors; form: MessageKey | null } {
	if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) {
		const fields: FieldErrors = {};
		for (const [field, problem] of Object.entries(error.fields)) {
			fields[field] = fieldProblem(field, problem, error.code);
		}

		return { fields, form: 'form.fixErrors' };
	}
	if (error instanceof ApiRequestError && error.code === 'conflict' && /handle/i.test(error.message)) {
		return { fields: { handle: { key: 'validation.taken' } }, form: 'form.fixErrors' };
	}

	return { fields: {}, form: errorMessageKey(error) };
}

/** Focuses the form's first field marked invalid, once React has rendered the errors just set. */
export function focusFirstInvalid(form: RefObject<HTMLFormElement | null>): void {
	requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
