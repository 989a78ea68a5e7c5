import { type FormEvent, useId, useState } from 'react';
import { useT } from '../../../i18n';
import { errorMessageKey } from '../../../app/errorMessage';
import { banByHandle } from '../moderationApi';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/** Staff: ban someone by handle, also someone who already left; the host may ban from all their rooms. */
export function BanByHandle() {
	const t = useT();
	const client = useRoomClient();
	const role = useRoomStore((s) => s.live?.self.role);
	const [handle, setHandle] = useState('');
	const [reason, setReason] = useState('');
	const [all, setAll] = useState(false);
	const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
	const handleId = useId();
	const reasonId = useId();

	async function submit(event: FormEvent) {
		event.preventDefault();
		const trimmed = handle.trim().replace(/^@/, '');
		if (!trimmed) {
			return;
		}
		try {
			const rooms = await banByHandle(client.roomId, {
				handle: trimmed,
				...(reason.trim() ? { reason: reason.trim() } : {}),
				...(all ? { allMyRooms: true } : {}),
			});
			setMessage({ ok: true, text: t(rooms.length > 1 ? 'ban.doneAll' : 'ban.done', { handle: trimmed }) });
			setHandle('');
			setReason('');
		} catch (error) {
			setMessage({ ok: false, text: t(errorMessageKey(error)) });
		}
	}

	return (
		<section className="panel ban-by-handle" aria-labelledby={`${handleId}-heading`}>
			<h2 id={`${handleId}-heading`} className="panel-title">
				{t('ban.title')}
			</h2>
			<form className="form" onSubmit={(e) => void submit(e)}>
				<label htmlFor={handleId} className="field-label">
					{t('ban.handle')}
				</label>
				<input id={handleId} dir="ltr" value={handle} onChange={(e) => setHandle(e.target.value)} />
				<label htmlFor={reasonId} className="field-label">
					{t('ban.reason')}
				</label>
				<input
					id={reasonId}
					dir="auto"
					value={reason}
					maxLength={300}
					onChange={(e) => setReason(e.target.value)}
				/>
				{role === 'host' && (
					<label className="field-check">
						<input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />{' '}
						{t('ban.allMyRooms')}
					</label>
				)}
				<button type="submit" className="button button-danger" disabled={!handle.trim()}>
					{t('ban.submit')}
				</button>
			</form>
			{message && (
				<p className={message.ok ? 'chat-note' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
					{message.text}
				</p>
			)}
		</section>
	);
}
