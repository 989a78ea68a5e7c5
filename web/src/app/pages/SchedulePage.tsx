import type { GuestKind, Room, SpeakRequests, UserSummary, Visibility } from '@majlis/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { PeoplePicker } from '../../components/PeoplePicker';
import { type FieldErrors, splitSubmitError } from '../../features/auth/fieldErrors';
import { useAuthStore } from '../../features/auth/useAuthStore';
import {
	createRoom,
	deleteGuest,
	deleteRoom,
	getRoom,
	listGuests,
	putGuest,
	type RoomInput,
	setCohost,
	updateRoom,
} from '../../features/rooms/roomsApi';
import { parseTopics } from '../../features/rooms/topics';
import { type MessageKey, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';
import { navigate } from '../router';

interface GuestEntry {
	user: UserSummary;
	kind: GuestKind;
}

interface FormState {
	title: string;
	description: string;
	topics: string;
	startsAt: string;
	visibility: Visibility;
	speakRequests: SpeakRequests;
	maxSpeakers: string;
	cohosts: UserSummary[];
	guests: GuestEntry[];
}

const emptyForm: FormState = {
	title: '',
	description: '',
	topics: '',
	startsAt: '',
	visibility: 'public',
	speakRequests: 'everyone',
	maxSpeakers: '13',
	cohosts: [],
	guests: [],
};

// <input type="datetime-local"> works in local time without a zone; the API wants ISO 8601 in UTC.
function toLocalInput(iso: string | null): string {
	if (!iso) {
		return '';
	}
	const d = new Date(iso);
	const pad = (n: number) => String(n).padStart(2, '0');

	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromRoom(room: Room, guests: GuestEntry[]): FormState {
	return {
		title: room.title,
		description: room.description,
		topics: room.topics.join(', '),
		startsAt: toLocalInput(room.scheduledFor),
		visibility: room.visibility,
		speakRequests: room.speakRequests,
		maxSpeakers: String(room.maxSpeakers),
		cohosts: room.cohosts,
		guests,
	};
}

/** Schedules a new room (no `roomId`) or edits one. */
export function SchedulePage({ roomId }: { roomId?: string }) {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const checking = useAuthStore((s) => s.checking);
	const [form, setForm] = useState<FormState>(emptyForm);
	const [original, setOriginal] = useState<{ room: Room; guests: GuestEntry[] } | null>(null);
	const [loadError, setLoadError] = useState<MessageKey | null>(null);
	const [errors, setErrors] = useState<FieldErrors>({});
	const [formError, setFormError] = useState<MessageKey | null>(null);
	const [busy, setBusy] = useState(false);
	const [confirmDelete, setConfirmDelete] = useState(false);
	const formRef = useRef<HTMLFormElement>(null);

	useEffect(() => {
		if (!roomId || !user) {
			return;
		}
		const controller = new AbortController();
		Promise.all([getRoom(roomId, controller.signal), listGuests(roomId)]).then(
			([room, guests]) => {
				const entries = guests.map((g) => ({ user: g.user, kind: g.kind }));
				setOriginal({ room, guests: entries });
				setForm(fromRoom(room, entries));
			},
			(error: Error) => {
				if (error.name !== 'AbortError') {
					setLoadError(errorMessageKey(error));
				}
			}
		);

		return () => controller.abort();
	}, [roomId, user]);

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

	function set<K extends keyof FormState>(key: K, value: FormState[K]) {
		setForm((f) => ({ ...f, [key]: value }));
	}

	function message(field: string): string | null {
		const e = errors[field];

		return e ? ('key' in e ? t(e.key) : e.text) : null;
	}

	function validate(): FieldErrors {
		const found: FieldErrors = {};
		if (!form.title.trim()) {
			found.title = { key: 'validation.required' };
		} else if (form.title.trim().length > 100) {
			found.title = { key: 'validation.tooLong' };
		}
		if (form.description.length > 1000) {
			found.description = { key: 'validation.tooLong' };
		}
		const topics = parseTopics(form.topics);
		if (topics.length > 3 || topics.some((topic) => topic.length > 30)) {
			found.topics = { key: 'validation.topics' };
		}
		const changedTime = toLocalInput(original?.room.scheduledFor ?? null) !== form.startsAt;
		if (form.startsAt && changedTime && new Date(form.startsAt).getTime() <= Date.now()) {
			found.startsAt = { key: 'validation.future' };
		}
		const max = Number(form.maxSpeakers);
		if (!Number.isInteger(max) || max < 1 || max > 50) {
			found.maxSpeakers = { key: 'validation.maxSpeakers' };
		}

		return found;
	}

	async function saveLists(id: string) {
		const before = original ?? { room: null, guests: [] as GuestEntry[] };
		const beforeCohosts = new Set(before.room?.cohosts.map((c) => c.id) ?? []);
		const afterCohosts = new Set(form.cohosts.map((c) => c.id));
		const beforeGuests = new Map(before.guests.map((g) => [g.user.id, g.kind]));
		const afterGuests = new Map(form.guests.map((g) => [g.user.id, g.kind]));
		const calls: Promise<void>[] = [];
		for (const c of afterCohosts) {
			if (!beforeCohosts.has(c)) {
				calls.push(setCohost(id, c, true));
			}
		}
		for (const c of beforeCohosts) {
			if (!afterCohosts.has(c)) {
				calls.push(setCohost(id, c, false));
			}
		}
		for (const [userId, kind] of afterGuests) {
			if (beforeGuests.get(userId) !== kind) {
				calls.push(putGuest(id, userId, kind));
			}
		}
		for (const userId of beforeGuests.keys()) {
			if (!afterGuests.has(userId)) {
				calls.push(deleteGuest(id, userId));
			}
		}
		await Promise.all(calls);
	}

	async function onSubmit(event: FormEvent) {
		event.preventDefault();
		const found = validate();
		setErrors(found);
		if (Object.keys(found).length > 0) {
			setFormError('form.fixErrors');
			requestAnimationFrame(() =>
				formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
			);

			return;
		}
		const input: RoomInput = {
			title: form.title.trim(),
			description: form.description.trim(),
			topics: parseTopics(form.topics),
			visibility: form.visibility,
			speakRequests: form.speakRequests,
			maxSpeakers: Number(form.maxSpeakers),
		};
		// On edit, send the start time only when it changed: an unchanged past time would be refused.
		const timeChanged = !original || toLocalInput(original.room.scheduledFor) !== form.startsAt;
		if (form.startsAt && timeChanged) {
			input.scheduledFor = new Date(form.startsAt).toISOString();
		} else if (roomId && timeChanged) {
			input.scheduledFor = null;
		}
		setBusy(true);
		setFormError(null);
		try {
			const room = roomId ? await updateRoom(roomId, input) : await createRoom(input);
			await saveLists(room.id);
			navigate(`/rooms/${room.id}`);
		} catch (error) {
			const split = splitSubmitError(error);
			if (split.fields.scheduledFor) {
				split.fields.startsAt = split.fields.scheduledFor;
			}
			setErrors(split.fields);
			setFormError(split.form);
			requestAnimationFrame(() =>
				formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
			);
		} finally {
			setBusy(false);
		}
	}

	async function onDelete() {
		if (!roomId) {
			return;
		}
		setConfirmDelete(false);
		try {
			await deleteRoom(roomId);
			navigate('/', { replace: true });
		} catch (error) {
			setFormError(errorMessageKey(error));
		}
	}

	const loading = Boolean(roomId && !original);

	return (
		<div className="schedule">
			<h1>{t(roomId ? 'schedule.editHeading' : 'schedule.createHeading')}</h1>
			<form ref={formRef} className="card form" noValidate onSubmit={onSubmit} aria-busy={loading || busy}>
				{formError && (
					<p role="alert" className="form-error">
						{t(formError)}
					</p>
				)}
				<Field label={t('schedule.title')} error={message('title')}>
					{(props) => (
						<input
							{...props}
							name="title"
							required
							maxLength={100}
							value={form.title}
							onChange={(e) => set('title', e.target.value)}
						/>
					)}
				</Field>
				<Field label={t('schedule.description')} error={message('description')}>
					{(props) => (
						<textarea
							{...props}
							name="description"
							rows={3}
							maxLength={1000}
							value={form.description}
							onChange={(e) => set('description', e.target.value)}
						/>
					)}
				</Field>
				<Field label={t('schedule.topics')} hint={t('schedule.topics.hint')} error={message('topics')}>
					{(props) => (
						<input
							{...props}
							name="topics"
							value={form.topics}
							onChange={(e) => set('topics', e.target.value)}
						/>
					)}
				</Field>
				<div className="form-row">
					<Field
						label={t('schedule.startsAt')}
						hint={t('schedule.startsAt.hint')}
						error={message('startsAt')}
					>
						{(props) => (
							<input
								{...props}
								type="datetime-local"
								name="startsAt"
								value={form.startsAt}
								onChange={(e) => set('startsAt', e.target.value)}
							/>
						)}
					</Field>
					<Field label={t('schedule.maxSpeakers')} error={message('maxSpeakers')}>
						{(props) => (
							<input
								{...props}
								type="number"
								name="maxSpeakers"
								min={1}
								max={50}
								inputMode="numeric"
								value={form.maxSpeakers}
								onChange={(e) => set('maxSpeakers', e.target.value)}
							/>
						)}
					</Field>
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
