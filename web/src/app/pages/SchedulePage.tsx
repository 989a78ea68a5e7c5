import {
	type ChatMode,
	type GuestKind,
	ROOM_LIMITS,
	type SpeakRequests,
	type Visibility,
} from '@majlis/protocol';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { PeoplePicker } from '../../components/PeoplePicker';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { LanguageSelect } from '../../features/people/LanguageSelect';
import { useRoomForm } from '../../features/rooms/useRoomForm';
import { useT } from '../../i18n';
import { Link } from '../Link';

/** Schedules a new room (no `roomId`) or edits one. */
export function SchedulePage({ roomId }: { roomId?: string }) {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const checking = useAuthStore((s) => s.checking);
	const { form, set, original, loadError, errors, formError, busy, loading, formRef, submit, remove } =
		useRoomForm(roomId, user);
	const [confirmDelete, setConfirmDelete] = useState(false);

	if (!user) {
		return (
			<div className="empty-page">
				<h1>{t(roomId ? 'schedule.editHeading' : 'schedule.createHeading')}</h1>
				{!checking && (
					<p>
						<Link to={`/login?next=${encodeURIComponent(roomId ? `/rooms/${roomId}/edit` : '/schedule')}`}>
							{t('schedule.loginRequired')}
						</Link>
					</p>
				)}
			</div>
		);
	}
	if (roomId && (loadError || (original && original.room.host.id !== user.id))) {
		return (
			<div className="empty-page">
				<h1>{t('schedule.editHeading')}</h1>
				<p role="alert">{t(loadError ?? 'schedule.notHost')}</p>
			</div>
		);
	}

	function message(field: string): string | null {
		const e = errors[field];

		return e ? ('key' in e ? t(e.key) : e.text) : null;
	}

	function onDelete() {
		setConfirmDelete(false);
		void remove();
	}

	return (
		<div className="schedule">
			<h1>{t(roomId ? 'schedule.editHeading' : 'schedule.createHeading')}</h1>
			<form ref={formRef} className="card form" noValidate onSubmit={submit} aria-busy={loading || busy}>
				{formError && (
					<p role="alert" className="form-error">
						{t(formError)}
					</p>
				)}
				<InputField
					label={t('schedule.title')}
					error={message('title')}
					counter={{ length: form.title.trim().length, max: ROOM_LIMITS.title.max }}
					name="title"
					required
					value={form.title}
					onChange={(value) => set('title', value)}
				/>
				<Field
					label={t('schedule.description')}
					error={message('description')}
					counter={{ length: form.description.length, max: ROOM_LIMITS.description.max }}
				>
					{(props) => (
						<textarea
							{...props}
							name="description"
							rows={3}
							value={form.description}
							onChange={(e) => set('description', e.target.value)}
						/>
					)}
				</Field>
				<InputField
					label={t('schedule.topics')}
					hint={t('schedule.topics.hint')}
					error={message('topics')}
					name="topics"
					value={form.topics}
					onChange={(value) => set('topics', value)}
				/>
				<div className="form-row">
					<InputField
						label={t('schedule.startsAt')}
						hint={t('schedule.startsAt.hint')}
						error={message('startsAt')}
						type="datetime-local"
						name="startsAt"
						value={form.startsAt}
						onChange={(value) => set('startsAt', value)}
					/>
					<InputField
						label={t('schedule.maxSpeakers')}
						error={message('maxSpeakers')}
						type="number"
						name="maxSpeakers"
						min={ROOM_LIMITS.speakers.min}
						max={ROOM_LIMITS.speakers.max}
						inputMode="numeric"
						value={form.maxSpeakers}
						onChange={(value) => set('maxSpeakers', value)}
					/>
				</div>
				<div className="form-row">
					<Field label={t('schedule.visibility')} error={message('visibility')}>
						{(props) => (
							<select
								{...props}
								name="visibility"
								value={form.visibility}
								onChange={(e) => set('visibility', e.target.value as Visibility)}
							>
								<option value="public">{t('schedule.visibility.public')}</option>
								<option value="unlisted">{t('schedule.visibility.unlisted')}</option>
								<option value="private">{t('schedule.visibility.private')}</option>
							</select>
						)}
					</Field>
					<Field label={t('schedule.speakRequests')} error={message('speakRequests')}>
						{(props) => (
							<select
								{...props}
								name="speakRequests"
								value={form.speakRequests}
								onChange={(e) => set('speakRequests', e.target.value as SpeakRequests)}
							>
								<option value="everyone">{t('schedule.speakRequests.everyone')}</option>
								<option value="invited">{t('schedule.speakRequests.invited')}</option>
								<option value="off">{t('schedule.speakRequests.off')}</option>
							</select>
						)}
					</Field>
					<Field label={t('schedule.language')}>
						{(props) => (
							<LanguageSelect
								{...props}
								value={form.language}
								emptyLabel={t('language.unset')}
								onChange={(language) => set('language', language)}
							/>
						)}
					</Field>
					<Field label={t('schedule.chat')}>
						{(props) => (
							<select
								{...props}
								name="chat"
								value={form.chat}
								onChange={(e) => set('chat', e.target.value as ChatMode)}
							>
								<option value="everyone">{t('schedule.chat.everyone')}</option>
								<option value="stage">{t('schedule.chat.stage')}</option>
								<option value="off">{t('schedule.chat.off')}</option>
							</select>
						)}
					</Field>
				</div>
				<PeoplePicker
					legend={t('schedule.cohosts')}
					hint={t('schedule.cohosts.hint')}
					searchLabel={t('schedule.cohosts.search')}
					emptyText={t('schedule.cohosts.empty')}
					selected={form.cohosts}
					exclude={[user.id]}
					onAdd={(u) => set('cohosts', [...form.cohosts, u])}
					onRemove={(u) =>
						set(
							'cohosts',
							form.cohosts.filter((c) => c.id !== u.id)
						)
					}
				/>
				<PeoplePicker
					legend={t('schedule.guests')}
					hint={t('schedule.guests.hint')}
					searchLabel={t('schedule.guests.search')}
					emptyText={t('schedule.guests.empty')}
					selected={form.guests.map((g) => g.user)}
					exclude={[user.id]}
					onAdd={(u) => set('guests', [...form.guests, { user: u, kind: 'speaker' }])}
					onRemove={(u) =>
						set(
							'guests',
							form.guests.filter((g) => g.user.id !== u.id)
						)
					}
					renderExtra={(u) => (
						<select
							aria-label={t('schedule.guestKind', { name: u.displayName })}
							className="select-small"
							value={form.guests.find((g) => g.user.id === u.id)?.kind ?? 'speaker'}
							onChange={(e) =>
								set(
									'guests',
									form.guests.map((g) =>
										g.user.id === u.id ? { ...g, kind: e.target.value as GuestKind } : g
									)
								)
							}
						>
							<option value="speaker">{t('schedule.guestKind.speaker')}</option>
							<option value="listener">{t('schedule.guestKind.listener')}</option>
						</select>
					)}
				/>
				<div className="form-actions">
					<button type="submit" className="button button-primary" disabled={busy || loading}>
						{busy ? t('schedule.saving') : t(roomId ? 'schedule.submitEdit' : 'schedule.submitCreate')}
					</button>
					{roomId && (
						<button
							type="button"
							className="button button-danger-quiet"
							onClick={() => setConfirmDelete(true)}
						>
							{t('schedule.delete')}
						</button>
					)}
				</div>
			</form>
			<ConfirmDialog
				open={confirmDelete}
				message={t('schedule.deleteConfirm')}
				confirmLabel={t('schedule.delete')}
				onConfirm={onDelete}
				onCancel={() => setConfirmDelete(false)}
			/>
		</div>
	);
}
