import { canModerate } from '@majlis/protocol';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { HandIcon, MicIcon, MicOffIcon, MoreIcon } from '../../../components/icons';
import { Sheet } from '../../../components/Sheet';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useMicStore } from '../stores/useMicStore';
import { useRoomStore } from '../stores/useRoomStore';
import { LeaveControl } from './LeaveControl';

/** Props of {@link ControlsBar}. */
export interface ControlsBarProps {
	/** Leaves the room. */
	onLeave(): void;
	/** The viewer is a speaker guest ("Come on stage" instead of a hand). */
	speakerGuest?: boolean;
	/**
	 * Phone layout: a bar fixed at the bottom (thumb reach), icon buttons with short labels, the rarer
	 * actions (move to listeners, mute all, end room) in a "More" sheet.
	 */
	compact?: boolean;
	/** More buttons for the bar, before Leave (the phone layout's reactions, chat, hands, listeners). */
	tools?: ReactNode;
}

/** The viewer's own controls: mic, hand, leave, and (for moderators) mute all and end. */
export function ControlsBar({ onLeave, speakerGuest = false, compact = false, tools }: ControlsBarProps) {
	const t = useT();
	const client = useRoomClient();
	const self = useRoomStore((s) => s.live?.self ?? null);
	const speakRequests = useRoomStore((s) => s.live?.room.speakRequests ?? 'everyone');
	const connected = useRoomStore((s) => s.status === 'connected');
	const mic = useMicStore((s) => s.status);
	const stageFull = useRoomStore((s) => (s.live ? s.live.stage.length >= s.live.room.maxSpeakers : false));
	const maxSpeakers = useRoomStore((s) => s.live?.room.maxSpeakers ?? 0);
	const fullId = useId();
	const [confirmEnd, setConfirmEnd] = useState(false);
	const [busy, setBusy] = useState(false);
	const [more, setMore] = useState(false);
	const buttonsRef = useRef<HTMLDivElement>(null);
	const inactive = !connected || busy;

	// Buttons here come and go with the viewer's state (Request to speak → Mute after accepting). When the
	// focused one disappears, focus falls to <body>; put it back on the first control so keyboard users
	// stay in the flow.
	// biome-ignore lint/correctness/useExhaustiveDependencies: re-check whenever the set of buttons changes.
	useEffect(() => {
		if (document.activeElement === document.body || document.activeElement === null) {
			buttonsRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
		}
	}, [self?.onStage, self?.handRaised, self?.invited, self?.role]);

	if (!self) {
		return null;
	}

	async function run(action: () => Promise<unknown>) {
		// aria-disabled rather than disabled: a disabled button would drop keyboard focus.
		if (inactive) {
			return;
		}
		setBusy(true);
		try {
			await action();
		} finally {
			setBusy(false);
		}
	}

	const moderator = canModerate(self.role);
	// Speaker guests were promised the stage when the room was scheduled: no hand to raise, just come up.
	const comeOnStage = speakerGuest && !self.onStage && !self.invited;
	const showHand = !comeOnStage && !self.onStage && !self.invited && speakRequests !== 'off';
	const hasSecondary = (self.onStage && self.role !== 'host') || moderator;
	// In the phone layout these live in the "More" sheet; choosing one closes it first.
	const secondary = (
		<>
			{self.onStage && self.role !== 'host' && (
				<button
					type="button"
					className="button"
					aria-disabled={inactive || undefined}
					onClick={() => run(() => client.moveToListeners())}
				>
					{t('room.leaveStage')}
				</button>
			)}
			{moderator && (
				<button
					type="button"
					className="button"
					aria-disabled={inactive || undefined}
					onClick={() => run(() => client.muteAll())}
				>
					{t('room.muteAll')}
				</button>
			)}
			{self.role === 'host' && (
				<button
					type="button"
					className="button button-danger"
					aria-disabled={!connected || undefined}
					onClick={() => connected && setConfirmEnd(true)}
				>
					{t('room.endRoom')}
				</button>
			)}
		</>
	);

	return (
		<section className={compact ? 'controls controls-bar' : 'controls'} aria-label={t('room.controls')}>
			<div className="controls-inner">
				<p className="controls-status" aria-live="polite" id={fullId}>
					{self.onStage
						? mic === 'starting'
							? t('room.mic.starting')
							: self.muted
								? t('room.youAreMuted')
								: t('room.youAreLive')
						: self.handRaised
							? t('room.handRaised')
							: comeOnStage
								? stageFull
									? t('room.stageFull', { count: maxSpeakers })
									: ''
								: speakRequests === 'off'
									? t('room.handsOff')
									: ''}
				</p>
				<div className="controls-buttons" ref={buttonsRef}>
					{self.onStage && (
						<button
							type="button"
							className={`button button-round${self.muted ? '' : ' button-live'}`}
							aria-disabled={inactive || undefined}
							onClick={() => run(() => (self.muted ? client.unmute() : client.mute()))}
						>
							{self.muted ? <MicOffIcon /> : <MicIcon />}
							<span>{self.muted ? t('room.unmute') : t('room.mute')}</span>
						</button>
					)}
					{comeOnStage && (
						<button
							type="button"
							className="button button-primary"
							aria-disabled={inactive || stageFull || undefined}
							aria-describedby={stageFull ? fullId : undefined}
							onClick={() => !stageFull && run(() => client.acceptInvite())}
						>
							<MicIcon />
							<span>{t('room.comeOnStage')}</span>
						</button>
					)}
					{showHand && (
						<button
							type="button"
							className={`button${self.handRaised ? ' button-pressed' : ' button-primary'}`}
							aria-disabled={inactive || undefined}
							onClick={() => run(() => (self.handRaised ? client.lowerHand() : client.raiseHand()))}
						>
							<HandIcon />
							<span>{self.handRaised ? t('room.cancelRequest') : t('room.requestToSpeak')}</span>
						</button>
					)}
					{!compact && secondary}
					{tools}
					{compact && hasSecondary && (
						<button
							type="button"
							className="button"
							aria-haspopup="dialog"
							aria-expanded={more}
							onClick={() => setMore(true)}
						>
							<MoreIcon />
							<span>{t('phone.more')}</span>
						</button>
					)}
					<LeaveControl client={client} onLeave={onLeave} />
				</div>
			</div>
			{compact && (
				<Sheet open={more && hasSecondary} title={t('phone.moreTitle')} onClose={() => setMore(false)}>
					{/* Any action here closes the sheet, after the action's own handler (bubbling, not capture: a
					    capture-phase close would unmount the button before its click). End room then asks. */}
					{/* biome-ignore lint/a11y/noStaticElementInteractions: only catches the buttons' clicks (keyboard included). */}
					{/* biome-ignore lint/a11y/useKeyWithClickEvents: Enter and Space on the buttons are clicks. */}
					<div className="sheet-actions" onClick={() => setMore(false)}>
						{secondary}
					</div>
				</Sheet>
			)}
			<ConfirmDialog
				open={confirmEnd}
				message={t('room.endConfirm')}
				confirmLabel={t('room.endRoom')}
				onConfirm={() => {
					setConfirmEnd(false);
					void client.endRoom();
				}}
				onCancel={() => setConfirmEnd(false)}
			/>
		</section>
	);
}
