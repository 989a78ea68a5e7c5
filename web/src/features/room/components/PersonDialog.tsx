import { canModerate, type Role } from '@majlis/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { Avatar } from '../../../components/Avatar';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { RoleBadge } from '../../../components/RoleBadge';
import { useModalDialog } from '../../../components/useModalDialog';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useBlockStore } from '../stores/useBlockStore';
import { useRoomStore } from '../stores/useRoomStore';
import { BlockToggle } from './BlockToggle';
import { ReportButton } from './ReportButton';

/** Someone the viewer opened options for (from the stage or the listener list). */
export interface Person {
	userId: string;
	displayName: string;
	handle: string;
	role: Role;
}

/** Props of {@link PersonDialog}. */
export interface PersonDialogProps {
	/** The person, or null when closed. */
	person: Person | null;
	/** Element to give focus back to. */
	opener: HTMLElement | null;
	/** Closes the dialog. */
	onClose(): void;
}

/**
 * A modal with what the viewer may do to one person: mute, invite, move, remove, appoint (by role), and,
 * for anyone but oneself, Report and Block / Unblock (#15), whatever the viewer's role.
 */
export function PersonDialog({ person, opener, onClose }: PersonDialogProps) {
	const t = useT();
	const client = useRoomClient();
	const ref = useModalDialog(person !== null);
	const titleId = useId();
	const self = useRoomStore((s) => s.live?.self ?? null);
	// Read live stage state, so the actions follow changes while the dialog is open.
	const member = useRoomStore((s) => s.live?.stage.find((m) => m.userId === person?.userId) ?? null);
	const stageFull = useRoomStore((s) => (s.live ? s.live.stage.length >= s.live.room.maxSpeakers : false));
	const maxSpeakers = useRoomStore((s) => s.live?.room.maxSpeakers ?? 0);
	const fullId = useId();
	// Removing is a ban for good: it asks first, over this dialog, and Cancel comes back here.
	const [confirmRemove, setConfirmRemove] = useState(false);
	const [confirmHost, setConfirmHost] = useState(false);
	const makeHostRef = useRef<HTMLButtonElement>(null);
	const removeRef = useRef<HTMLButtonElement>(null);

	// Block / Unblock shows the viewer's current blocks (also in a room whose chat is off).
	useEffect(() => {
		if (person) {
			useBlockStore
				.getState()
				.load()
				.catch(() => undefined);
		}
	}, [person]);

	function close() {
		setConfirmRemove(false);
		setConfirmHost(false);
		onClose();
		if (opener?.isConnected) {
			opener.focus();
		}
	}

	function run(action: () => Promise<unknown>) {
		close();
		void action();
	}

	if (!self) {
		return null;
	}
	const isSelf = person?.userId === self.userId;
	const role = member?.role ?? person?.role ?? 'listener';
	const onStage = Boolean(member);
	const moderator = canModerate(self.role) && !isSelf;
	const targetIsHost = role === 'host';

	return (
		<dialog
			ref={ref}
			className="dialog person-dialog"
			aria-labelledby={titleId}
			onCancel={(e) => {
				e.preventDefault();
				close();
			}}
		>
			{person && (
				<>
					<div className="person-dialog-head">
						<Avatar id={person.userId} name={person.displayName} size="large" />
						<div>
							<h2 id={titleId} className="dialog-title">
								{isSelf ? t('room.you', { name: person.displayName }) : person.displayName}
							</h2>
							<p className="handle" dir="ltr">
								@{person.handle}
							</p>
							<RoleBadge role={role} always />
						</div>
					</div>
					<div className="dialog-actions dialog-actions-stack">
						{isSelf && onStage && (
							<>
								<button
									type="button"
									className="button"
									onClick={() => run(() => (self.muted ? client.unmute() : client.mute()))}
								>
									{self.muted ? t('room.unmute') : t('room.mute')}
								</button>
								<button type="button" className="button" onClick={() => run(() => client.moveToListeners())}>
									{t('room.leaveStage')}
								</button>
							</>
						)}
						{moderator && onStage && !member?.muted && (
							<button
								type="button"
								className="button"
								onClick={() => run(() => client.muteMember(person.userId))}
							>
								{t('room.mute')}
							</button>
						)}
						{moderator && onStage && !targetIsHost && (
							<button
								type="button"
								className="button"
								onClick={() => run(() => client.moveToListeners(person.userId))}
							>
								{t('room.moveToListeners')}
							</button>
						)}
						{moderator && !onStage && (
							<>
								<button
									type="button"
									className="button button-primary"
									aria-disabled={stageFull || undefined}
									aria-describedby={stageFull ? fullId : undefined}
									onClick={() => !stageFull && run(() => client.inviteToSpeak(person.userId))}
								>
									{t('room.inviteToSpeak')}
								</button>
								{stageFull && (
									<p id={fullId} className="field-hint">
										{t('room.stageFull', { count: maxSpeakers })}
									</p>
								)}
							</>
						)}
						{self.role === 'host' && !isSelf && role !== 'cohost' && (
							<button
								type="button"
								className="button"
								onClick={() => run(() => client.makeCohost(person.userId))}
							>
								{t('room.makeCohost')}
							</button>
						)}
						{self.role === 'host' && role === 'cohost' && onStage && (
							<button ref={makeHostRef} type="button" className="button" onClick={() => setConfirmHost(true)}>
								{t('room.makeHost')}
							</button>
						)}
						{self.role === 'host' && role === 'cohost' && (
							<button
								type="button"
								className="button"
								onClick={() => run(() => client.makeCohost(person.userId, false))}
							>
								{t('room.revokeCohost')}
							</button>
						)}
						{(self.role === 'host' || self.role === 'cohost') &&
							!isSelf &&
							(role === 'listener' || role === 'speaker') && (
								<button
									type="button"
									className="button"
									onClick={() => run(() => client.makeModerator(person.userId))}
								>
									{t('room.makeModerator')}
								</button>
							)}
						{(self.role === 'host' || self.role === 'cohost') && role === 'moderator' && (
							<button
								type="button"
								className="button"
								onClick={() => run(() => client.makeModerator(person.userId, false))}
							>
								{t('room.revokeModerator')}
							</button>
						)}
						{moderator && !targetIsHost && (
							<button
								ref={removeRef}
								type="button"
								className="button button-danger-quiet"
								onClick={() => setConfirmRemove(true)}
							>
								{t('room.removeFromRoom')}
							</button>
						)}
						{/* Report and Block (#15): anyone, about anyone else. */}
						{!isSelf && (
							<div className="person-dialog-safety">
								<ReportButton userId={person.userId} name={person.displayName} roomId={client.roomId} />
								<BlockToggle userId={person.userId} name={person.displayName} />
							</div>
						)}
						<button type="button" className="button button-quiet" onClick={close}>
							{t('room.close')}
						</button>
					</div>
					<ConfirmDialog
						open={confirmHost}
						message={t('room.makeHostConfirm', { name: person.displayName })}
						confirmLabel={t('room.makeHost')}
						onConfirm={() => run(() => client.handOver(person.userId))}
						onCancel={() => {
							setConfirmHost(false);
							makeHostRef.current?.focus();
						}}
					/>
					<ConfirmDialog
						open={confirmRemove}
						message={t('room.removeConfirm', { name: person.displayName })}
						confirmLabel={t('room.removeFromRoom')}
						onConfirm={() => run(() => client.removeFromRoom(person.userId))}
						onCancel={() => {
							setConfirmRemove(false);
							removeRef.current?.focus();
						}}
					/>
				</>
			)}
		</dialog>
	);
}
