import { useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LeaveIcon } from '../../../components/icons';
import { useModalDialog } from '../../../components/useModalDialog';
import { useT } from '../../../i18n';
import type { RoomClient } from '../RoomClient';
import { useRoomStore } from '../stores/useRoomStore';

/** Props of {@link LeaveControl}. */
export interface LeaveControlProps {
	/** The joined room's client. */
	client: RoomClient;
	/** Leaves the room (and goes wherever the caller wants). */
	onLeave(): void;
	/** Extra class names of the button. */
	className?: string;
}

/**
 * "Leave". For the host, leaving is a choice with consequences, so it asks first: end the room for
 * everyone, or leave it running (a co-host takes over once the host's grace period is over).
 */
export function LeaveControl({ client, onLeave, className = 'button button-quiet' }: LeaveControlProps) {
	const t = useT();
	const role = useRoomStore((s) => s.live?.self.role);
	const connected = useRoomStore((s) => s.status === 'connected');
	// Co-hosts here now (they are on stage when connected) can take the room at once.
	const cohosts = useRoomStore(useShallow((s) => s.live?.stage.filter((m) => m.role === 'cohost') ?? []));
	const [asking, setAsking] = useState(false);
	const buttonRef = useRef<HTMLButtonElement>(null);
	const ref = useModalDialog(asking, { closed: () => buttonRef.current?.focus() });
	const messageId = useId();

	return (
		<>
			<button
				ref={buttonRef}
				type="button"
				className={className}
				onClick={() => (role === 'host' && connected ? setAsking(true) : onLeave())}
			>
				<LeaveIcon />
				<span>{t('room.leave')}</span>
			</button>
			<dialog
				ref={ref}
				className="dialog"
				aria-labelledby={messageId}
				onCancel={(e) => {
					e.preventDefault();
					setAsking(false);
				}}
			>
				<p id={messageId} className="dialog-message">
					{t('room.hostLeaveConfirm')}
				</p>
				<div className="dialog-actions dialog-actions-stack">
					<button
						type="button"
						className="button button-danger"
						onClick={() => {
							setAsking(false);
							void client.endRoom().then((ended) => ended && onLeave());
						}}
					>
						{t('room.endForEveryone')}
					</button>
					{cohosts.map((cohost) => (
						<button
							key={cohost.userId}
							type="button"
							className="button"
							onClick={() => {
								setAsking(false);
								void client.handOver(cohost.userId).then((handed) => handed && onLeave());
							}}
						>
							{t('room.handOverAndLeave', { name: cohost.displayName })}
						</button>
					))}
					{cohosts.length === 0 && (
						<button
							type="button"
							className="button"
							onClick={() => {
								setAsking(false);
								onLeave();
							}}
						>
							{t('room.leaveToCohost')}
						</button>
					)}
					<button type="button" className="button button-quiet" onClick={() => setAsking(false)}>
						{t('room.close')}
					</button>
				</div>
			</dialog>
		</>
	);
}
