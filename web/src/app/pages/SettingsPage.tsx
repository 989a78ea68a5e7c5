import { PROFILE_LIMITS, type Profile, USER_LIMITS } from '@majlis/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiRequestError } from '../../api';
import { Avatar } from '../../components/Avatar';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { FederationSection } from '../../features/federation/FederationSection';
import { ApiTokensSection } from '../../features/integrations/ApiTokensSection';
import { WebhooksSection } from '../../features/integrations/WebhooksSection';
import {
	changePassword,
	deleteAccount,
	getProfile,
	removeAvatar,
	updateMe,
	uploadAvatar,
} from '../../features/people/peopleApi';
import { type MessageKey, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';
import { PageLoading } from '../PageStatus';
import { navigate } from '../router';

// The API names the field; the words shown are the app's own, in the reader's language.
const FIELD_MESSAGES = {
	displayName: 'settings.error.displayName',
	bio: 'settings.error.bio',
	currentPassword: 'settings.error.currentPassword',
	newPassword: 'settings.error.newPassword',
	password: 'settings.error.password',
} as const satisfies Record<string, MessageKey>;

/** A section's outcome: saved, or what went wrong (a field's problem or a message). */
type Outcome = { ok: true } | { ok: false; message: MessageKey; fields: Record<string, string> } | null;

function failure(error: unknown): Outcome {
	const fields = error instanceof ApiRequestError ? { ...error.fields } : {};
	const status = error instanceof ApiRequestError ? error.status : 0;
	const message: MessageKey =
		status === 413
			? 'settings.avatar.tooLarge'
			: status === 415 || fields.avatar
				? 'settings.avatar.badType'
				: Object.keys(fields).length > 0
					? 'settings.error.check'
					: errorMessageKey(error);

	return { ok: false, message, fields };
}

function Status({ outcome, saved }: { outcome: Outcome; saved: MessageKey }) {
	const t = useT();
	if (!outcome) {
		return null;
	}

	return outcome.ok ? (
		<p role="status" className="notice">
			{t(saved)}
		</p>
	) : (
		<p role="alert" className="notice notice-error">
			{t(outcome.message)}
		</p>
	);
}

/** `/settings`: display name, bio, avatar and password; deleting the account; API tokens, bots and webhooks. */
export function SettingsPage() {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const checking = useAuthStore((s) => s.checking);
	const [profile, setProfile] = useState<Profile | null>(null);
	const [displayName, setDisplayName] = useState('');
	const [bio, setBio] = useState('');
	const [profileOutcome, setProfileOutcome] = useState<Outcome>(null);
	const [avatarOutcome, setAvatarOutcome] = useState<Outcome>(null);
	const [current, setCurrent] = useState('');
	const [next, setNext] = useState('');
	const [passwordOutcome, setPasswordOutcome] = useState<Outcome>(null);
	const [deletePassword, setDeletePassword] = useState('');
	const [deleteOutcome, setDeleteOutcome] = useState<Outcome>(null);
	const [confirming, setConfirming] = useState(false);
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		if (!user) {
			return;
		}
		const controller = new AbortController();
		getProfile(user.handle, controller.signal).then(
			(p) => {
				setProfile(p);
				setDisplayName(p.displayName);
				setBio(p.bio);
			},
			() => undefined
		);

		return () => controller.abort();
	}, [user]);

	if (!user) {
		return (
			<div className="empty-page">
				<h1>{t('settings.heading')}</h1>
				{!checking && (
					<p>
						<Link to="/login?next=%2Fsettings">{t('settings.loginRequired')}</Link>
					</p>
				)}
			</div>
		);
	}
	if (!profile) {
		return <PageLoading label="profile.loading" />;
	}

	async function run(action: () => Promise<void>, done: (o: Outcome) => void) {
		setBusy(true);
		done(null);
		try {
			await action();
			done({ ok: true });
		} catch (error) {
			done(failure(error));
		} finally {
			setBusy(false);
		}
	}

	function saveProfile(e: FormEvent) {
		e.preventDefault();
		void run(async () => {
			const updated = await updateMe({ displayName: displayName.trim(), bio: bio.trim() });
			useAuthStore.setState({ user: updated });
		}, setProfileOutcome);
	}

	function pickAvatar(file: File | undefined) {
		if (!file || !profile) {
			return;
		}
		void run(async () => {
			const avatarUrl = await uploadAvatar(file);
			setProfile({ ...profile, avatarUrl });
		}, setAvatarOutcome);
	}

	function savePassword(e: FormEvent) {
		e.preventDefault();
		void run(async () => {
			await changePassword(current, next);
			setCurrent('');
			setNext('');
		}, setPasswordOutcome);
	}

	function confirmDelete() {
		setConfirming(false);
		void run(async () => {
			await deleteAccount(deletePassword);
			useAuthStore.getState().signOut();
			navigate('/');
		}, setDeleteOutcome);
	}

	const fieldError = (outcome: Outcome, field: keyof typeof FIELD_MESSAGES) =>
		outcome && !outcome.ok && outcome.fields[field] ? t(FIELD_MESSAGES[field]) : null;

	return (
		<div className="settings">
			<h1>{t('settings.heading')}</h1>
			<p>
				<Link to={`/u/${user.handle}`}>{t('settings.viewProfile')}</Link>
			</p>

			<form className="card form" aria-labelledby="settings-profile" noValidate onSubmit={saveProfile}>
				<h2 id="settings-profile">{t('settings.profile')}</h2>
				<InputField
					label={t('settings.displayName')}
					error={fieldError(profileOutcome, 'displayName')}
					counter={{ length: displayName.trim().length, max: USER_LIMITS.displayName.max }}
					name="displayName"
					required
					value={displayName}
					onChange={setDisplayName}
				/>
				<Field
					label={t('settings.bio')}
					error={fieldError(profileOutcome, 'bio')}
					counter={{ length: bio.length, max: PROFILE_LIMITS.bio.max }}
				>
					{(props) => (
						<textarea {...props} name="bio" rows={3} value={bio} onChange={(e) => setBio(e.target.value)} />
					)}
				</Field>
				<Status outcome={profileOutcome} saved="settings.saved" />
				<button type="submit" className="button button-primary" disabled={busy}>
					{t('settings.save')}
				</button>
			</form>

			<section className="card form" aria-labelledby="settings-avatar">
				<h2 id="settings-avatar">{t('settings.avatar')}</h2>
				<div className="settings-avatar">
					{profile.avatarUrl ? (
						<img
							className="avatar avatar-photo avatar-large"
							src={profile.avatarUrl}
							alt={t('settings.avatar.current')}
							width={72}
							height={72}
						/>
					) : (
						<Avatar id={profile.id} name={profile.displayName} size="large" />
					)}
					<Field label={t('settings.avatar.pick')} hint={t('settings.avatar.hint')}>
						{(props) => (
							<input
								{...props}
								type="file"
								name="avatar"
								accept={PROFILE_LIMITS.avatarTypes.join(',')}
								disabled={busy}
								onChange={(e) => pickAvatar(e.target.files?.[0])}
							/>
						)}
					</Field>
				</div>
				<Status outcome={avatarOutcome} saved="settings.avatar.saved" />
				{profile.avatarUrl && (
					<button
						type="button"
						className="button"
						disabled={busy}
						onClick={() =>
							void run(async () => {
								await removeAvatar();
								setProfile({ ...profile, avatarUrl: null });
							}, setAvatarOutcome)
						}
					>
						{t('settings.avatar.remove')}
					</button>
				)}
			</section>

			<form className="card form" aria-labelledby="settings-password" noValidate onSubmit={savePassword}>
				<h2 id="settings-password">{t('settings.password')}</h2>
				<InputField
					type="password"
					label={t('settings.password.current')}
					error={fieldError(passwordOutcome, 'currentPassword')}
					name="currentPassword"
					autoComplete="current-password"
					value={current}
					onChange={setCurrent}
				/>
				<InputField
					type="password"
					label={t('settings.password.new')}
					hint={t('settings.password.hint', { min: USER_LIMITS.password.min })}
					error={fieldError(passwordOutcome, 'newPassword')}
					name="newPassword"
					autoComplete="new-password"
					value={next}
					onChange={setNext}
				/>
				<Status outcome={passwordOutcome} saved="settings.password.saved" />
				<button type="submit" className="button button-primary" disabled={busy}>
					{t('settings.password.save')}
				</button>
			</form>

			<form
				className="card form settings-danger"
				aria-labelledby="settings-delete"
				noValidate
				onSubmit={(e) => {
					e.preventDefault();
					setConfirming(true);
				}}
			>
				<h2 id="settings-delete">{t('settings.delete')}</h2>
				<p>{t('settings.delete.lead')}</p>
				<InputField
					type="password"
					label={t('settings.delete.password')}
					error={fieldError(deleteOutcome, 'password')}
					name="deletePassword"
					autoComplete="current-password"
					value={deletePassword}
					onChange={setDeletePassword}
				/>
				<Status outcome={deleteOutcome} saved="settings.saved" />
				<button type="submit" className="button button-danger" disabled={busy || deletePassword === ''}>
					{t('settings.delete.button')}
				</button>
			</form>
			<ConfirmDialog
				open={confirming}
				message={t('settings.delete.confirm')}
				confirmLabel={t('settings.delete.button')}
				onConfirm={confirmDelete}
				onCancel={() => setConfirming(false)}
			/>
			<FederationSection />
			<ApiTokensSection />
			<WebhooksSection />
		</div>
	);
}
