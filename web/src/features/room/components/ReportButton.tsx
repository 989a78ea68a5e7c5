import { type FormEvent, useId, useState } from 'react';
import { useT } from '../../../i18n';
import { report } from '../moderationApi';

/** "Report" for a person or one of their chat messages: a reason, sent to the room's moderators and the admins. */
export function ReportButton({
	userId,
	name,
	roomId,
	messageId,
}: {
	userId: string;
	name: string;
	roomId: string;
	messageId?: string;
}) {
	const t = useT();
	const [open, setOpen] = useState(false);
	const [reason, setReason] = useState('');
	const [state, setState] = useState<'idle' | 'sent' | 'failed'>('idle');
	const formId = useId();

	async function send(event: FormEvent) {
		event.preventDefault();
		try {
			await report({ userId, roomId, ...(messageId ? { messageId } : {}), reason: reason.trim() });
			setState('sent');
			setOpen(false);
			setReason('');
		} catch {
			setState('failed');
		}
	}

	if (state === 'sent') {
		return (
			<span className="report-sent" role="status">
				{t('report.sent')}
			</span>
		);
	}

	return (
		<>
			<button
				type="button"
				className="button button-small button-quiet"
				aria-label={t('report.named', { name })}
				aria-expanded={open}
				aria-controls={open ? formId : undefined}
				onClick={() => setOpen((o) => !o)}
			>
				{t('report.report')}
			</button>
			{open && (
				<form id={formId} className="report-form" onSubmit={(e) => void send(e)}>
					<label className="field-label">
						{t('report.reason')}
						<input
							dir="auto"
							required
							maxLength={300}
							value={reason}
							onChange={(e) => setReason(e.target.value)}
						/>
					</label>
					<button type="submit" className="button button-small button-danger" disabled={!reason.trim()}>
						{t('report.send')}
					</button>
					{state === 'failed' && (
						<span className="form-error" role="alert">
							{t('report.failed')}
						</span>
					)}
				</form>
			)}
		</>
	);
}
