import type { ReminderState } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { useAuthStore } from '../auth/useAuthStore';
import { useT } from '../../i18n';
import { fetchReminder, setReminder } from './notificationsApi';

/** "Remind me" on a scheduled room, "add to calendar", and for its staff how many asked. */
export function RoomReminder({ roomId }: { roomId: string }) {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const [state, setState] = useState<ReminderState | null>(null);
	const [busy, setBusy] = useState(false);
	const [failed, setFailed] = useState(false);

	useEffect(() => {
		if (!user) {
			return;
		}
		let live = true;
		fetchReminder(roomId)
			.then((s) => live && setState(s))
			.catch(() => live && setFailed(true));

		return () => {
			live = false;
		};
	}, [roomId, user]);

	async function toggle() {
		if (!state) {
			return;
		}
		setBusy(true);
		setFailed(false);
		try {
			setState(await setReminder(roomId, !state.reminded));
		} catch {
			setFailed(true);
		} finally {
			setBusy(false);
		}
	}

	return (
		<div className="room-reminder">
			{user && state && (
				<button
					type="button"
					className={state.reminded ? 'button' : 'button button-primary'}
					aria-pressed={state.reminded}
					disabled={busy}
					onClick={() => void toggle()}
				>
					{state.reminded ? t('reminder.reminded') : t('reminder.remind')}
				</button>
			)}
			<a
				className="button button-quiet"
				href={`/api/rooms/${encodeURIComponent(roomId)}/calendar.ics`}
				download
			>
				{t('reminder.addToCalendar')}
			</a>
			{state?.reminded && <p className="muted">{t('reminder.hint')}</p>}
			{state && state.count !== null && (
				<p className="muted reminder-count">{t('reminder.count', { count: state.count })}</p>
			)}
			{failed && (
				<p className="form-error" role="alert">
					{t('notif.error')}
				</p>
			)}
		</div>
	);
}
