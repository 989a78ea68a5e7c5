import { hasVisibleText, USER_LIMITS } from '@majlis/protocol';
import { type FormEvent, useRef, useState } from 'react';
import { ApiRequestError } from '../../api';
import { Link } from '../../app/Link';
import { navigate } from '../../app/router';
import { InputField } from '../../components/InputField';
import { type MessageKey, useT } from '../../i18n';
import { login, signup } from './authApi';
import { type FieldErrors, focusFirstInvalid, splitSubmitError } from './fieldErrors';
import { useAuthStore } from './useAuthStore';

const HANDLE = /^[A-Za-z0-9_]{3,30}$/;

/** Props of {@link AuthForm}. */
export interface AuthFormProps {
	/** Sign up (handle, display name, password) or log in (handle, password). */
	mode: 'signup' | 'login';
	/** Where to go afterwards. */
	next: string | null;
}

/** The sign-up and log-in form, with client checks and the API's field errors next to each input. */
export function AuthForm({ mode, next }: AuthFormProps) {
	const t = useT();
	const signIn = useAuthStore((s) => s.signIn);
	const [handle, setHandle] = useState('');
	const [displayName, setDisplayName] = useState('');
	const [password, setPassword] = useState('');
	const [errors, setErrors] = useState<FieldErrors>({});
	const [formError, setFormError] = useState<MessageKey | null>(null);
	const [waitSeconds, setWaitSeconds] = useState<number | null>(null);
	const [busy, setBusy] = useState(false);
	const formRef = useRef<HTMLFormElement>(null);
	const isSignup = mode === 'signup';

	function message(field: string): string | null {
		const e = errors[field];
		if (!e) {
			return null;
		}

		return 'key' in e ? t(e.key) : e.text;
	}

	function validate(values = { handle, displayName, password }): FieldErrors {
		const found: FieldErrors = {};
		if (!values.handle.trim()) {
			found.handle = { key: 'validation.required' };
		} else if (isSignup && !HANDLE.test(values.handle.trim())) {
			found.handle = { key: 'validation.handle' };
		}
		if (isSignup && !values.displayName.trim()) {
			found.displayName = { key: 'validation.required' };
		} else if (isSignup && !hasVisibleText(values.displayName)) {
			found.displayName = { key: 'validation.visible' };
		} else if (isSignup && values.displayName.trim().length > USER_LIMITS.displayName.max) {
			found.displayName = { key: 'validation.tooLong' };
		}
		if (!values.password) {
			found.password = { key: 'validation.required' };
		} else if (isSignup && values.password.trim() === '') {
			found.password = { key: 'validation.blankPassword' };
		} else if (isSignup && values.password.length < USER_LIMITS.password.min) {
			found.password = { key: 'validation.password' };
		}

		return found;
	}

	// A shown error goes away as soon as the field is valid (it never appears while typing the first time).
	function change(field: 'handle' | 'displayName' | 'password', value: string) {
		const values = { handle, displayName, password, [field]: value };
		({ handle: setHandle, displayName: setDisplayName, password: setPassword })[field](value);
		if (errors[field] && !validate(values)[field]) {
			setErrors(({ [field]: _, ...rest }) => rest);
			if (Object.keys(errors).length === 1 && formError === 'form.fixErrors') {
				setFormError(null);
			}
		}
	}

	async function onSubmit(event: FormEvent) {
		event.preventDefault();
		const found = validate();
		setErrors(found);
		if (Object.keys(found).length > 0) {
			setFormError('form.fixErrors');
			focusFirstInvalid(formRef);

			return;
		}
		setBusy(true);
		setFormError(null);
		setWaitSeconds(null);
		try {
			const session = isSignup
				? await signup({ handle: handle.trim(), displayName: displayName.trim(), password })
				: await login({ handle: handle.trim(), password });
			signIn(session);
			navigate(next ?? '/', { replace: true });
		} catch (error) {
			if (!isSignup && error instanceof ApiRequestError && (error.status === 401 || error.status === 404)) {
				setErrors({});
				setFormError('auth.badCredentials');
			} else if (error instanceof ApiRequestError && error.status === 429 && error.retryAfter !== null) {
				setErrors({});
				setFormError(null);
				setWaitSeconds(error.retryAfter);
			} else {
				const split = splitSubmitError(error);
				setErrors(split.fields);
				setFormError(split.form);
				focusFirstInvalid(formRef);
			}
		} finally {
			setBusy(false);
		}
	}

	const nextQuery = next ? `?next=${encodeURIComponent(next)}` : '';

	return (
		<div className="auth">
			<h1>{t(isSignup ? 'auth.signup.title' : 'auth.login.title')}</h1>
			<p className="lead">{t(isSignup ? 'auth.signup.lead' : 'auth.login.lead')}</p>
			<form ref={formRef} className="card form" noValidate onSubmit={onSubmit}>
				{formError && (
					<p role="alert" className="form-error">
						{t(formError)}
					</p>
				)}
				{waitSeconds !== null && (
					<p role="alert" className="form-error">
						{t('error.rateLimitedFor', { count: waitSeconds })}
					</p>
				)}
				<InputField
					label={t('auth.handle')}
					hint={isSignup ? t('auth.handle.hint') : undefined}
					error={message('handle')}
					name="handle"
					autoComplete="username"
					autoCapitalize="none"
					spellCheck={false}
					dir="ltr"
					required
					value={handle}
					onChange={(value) => change('handle', value)}
				/>
				{isSignup && (
					<InputField
						label={t('auth.displayName')}
						hint={t('auth.displayName.hint')}
						error={message('displayName')}
						counter={{ length: displayName.trim().length, max: USER_LIMITS.displayName.max }}
						name="displayName"
						autoComplete="name"
						required
						value={displayName}
						onChange={(value) => change('displayName', value)}
					/>
				)}
				<InputField
					type="password"
					label={t('auth.password')}
					hint={isSignup ? t('auth.password.hint') : undefined}
					error={message('password')}
					name="password"
					autoComplete={isSignup ? 'new-password' : 'current-password'}
					dir="ltr"
					required
					value={password}
					onChange={(value) => change('password', value)}
				/>
				<button type="submit" className="button button-primary button-block" disabled={busy}>
					{t(isSignup ? 'auth.signup.submit' : 'auth.login.submit')}
				</button>
			</form>
			<p className="auth-switch">
				{t(isSignup ? 'auth.haveAccount' : 'auth.noAccount')}{' '}
				<Link to={`${isSignup ? '/login' : '/signup'}${nextQuery}`}>
					{t(isSignup ? 'auth.toLogin' : 'auth.toSignup')}
				</Link>
			</p>
		</div>
	);
}
