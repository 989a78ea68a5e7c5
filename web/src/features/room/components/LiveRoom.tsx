import { canModerate, type Listener, type StageMember } from '@majlis/protocol';
import { useState } from 'react';
import { useCompactLayout } from '../../../components/useCompactLayout';
import { useT } from '../../../i18n';
import { LockScreenControls } from '../../pwa/LockScreenControls';
import type { RoomClient } from '../RoomClient';
import { RoomClientContext } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';
import {
	ActionErrorBanner,
	AudioUnlockBanner,
	ConnectionBanner,
	HostAwayBanner,
	InvitationBanner,
	MicErrorBanner,
	NoticeBanner,
} from './Banners';
import { BanByHandle } from './BanByHandle';
import { ChatPanel } from './ChatPanel';
import { ConnectionDetails } from './ConnectionDetails';
import { ControlsBar } from './ControlsBar';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { HandQueue } from './HandQueue';
import { ListenerList } from './ListenerList';
import { LiveAnnouncer } from './LiveAnnouncer';
import { ModerationLogPanel } from './ModerationLogPanel';
import { MicCheck, MutedSpeechHint } from './MicCheck';
import { type Person, PersonDialog } from './PersonDialog';
import { PhoneTools } from './PhoneTools';
import { PoorConnections } from './PoorConnections';
import { ReactionBar } from './ReactionBar';
import { PinnedLinkBar } from './PinnedLinkBar';
import { ReactionOverlay } from './ReactionOverlay';
import { ReportQueue } from './ReportQueue';
import { RecordingControls } from './RecordingControls';
import { RemovedList } from './RemovedList';
import { Stage } from './Stage';

/** Props of {@link LiveRoom}. */
export interface LiveRoomProps {
	/** The joined room's client. */
	client: RoomClient;
	/** Leaves the room. */
	onLeave(): void;
	/** The viewer is a speaker guest: they come on stage without waiting for an invitation. */
	speakerGuest?: boolean;
}

/** The joined room: banners, stage, hands and listeners, controls, and the live region. */
export function LiveRoom({ client, onLeave, speakerGuest = false }: LiveRoomProps) {
	const t = useT();
	const self = useRoomStore((s) => s.live?.self ?? null);
	// Phones: the stage first, the pinned link folded, chat, hands and listeners in sheets from the bar.
	const compact = useCompactLayout();
	const [selected, setSelected] = useState<{ person: Person; opener: HTMLElement } | null>(null);

	function selectMember(member: StageMember, opener: HTMLElement) {
		setSelected({ person: { ...member }, opener });
	}

	function selectListener(listener: Listener, opener: HTMLElement) {
		setSelected({
			person: {
				userId: listener.id,
				displayName: listener.displayName,
				handle: listener.handle,
				role: listener.role,
			},
			opener,
		});
	}

	return (
		<RoomClientContext.Provider value={client}>
			<div className="live-room">
				<div className="banners">
					<ConnectionBanner />
					<HostAwayBanner />
					<AudioUnlockBanner />
					<InvitationBanner />
					<MicErrorBanner />
					<NoticeBanner />
					<ActionErrorBanner />
					<LockScreenControls client={client} onLeave={onLeave} />
					<MutedSpeechHint />
				</div>
				{self && (
					<div className="room-layout">
						<div className="room-main">
							<RecordingControls />
							<PoorConnections />
							{compact ? (
								<details className="disclosure pinned-disclosure">
									<summary>{t('phone.pinnedLink')}</summary>
									<PinnedLinkBar />
								</details>
							) : (
								<PinnedLinkBar />
							)}
							<Stage onSelect={selectMember} />
							<ReactionOverlay />
							{!compact && <ReactionBar />}
						</div>
						<div className="room-side">
							{!compact && <ChatPanel />}
							{!compact && canModerate(self.role) && <HandQueue />}
							{!compact && <ListenerList onSelect={selectListener} />}
							{canModerate(self.role) && <RemovedList />}
							{canModerate(self.role) && <BanByHandle />}
							<ReportQueue />
							<ModerationLogPanel />
							<ConnectionDetails />
							<DiagnosticsPanel />
							<MicCheck />
						</div>
					</div>
				)}
				<ControlsBar
					onLeave={onLeave}
					speakerGuest={speakerGuest}
					compact={compact}
					tools={compact && self ? <PhoneTools onSelect={selectListener} /> : undefined}
				/>
				<PersonDialog
					person={selected?.person ?? null}
					opener={selected?.opener ?? null}
					onClose={() => setSelected(null)}
				/>
				<LiveAnnouncer />
			</div>
		</RoomClientContext.Provider>
	);
}
