import { canModerate, type Listener, type StageMember } from '@majlis/protocol';
import { useState } from 'react';
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
} from './Banners';
import { ConnectionDetails } from './ConnectionDetails';
import { ControlsBar } from './ControlsBar';
import { HandQueue } from './HandQueue';
import { ListenerList } from './ListenerList';
import { LiveAnnouncer } from './LiveAnnouncer';
import { type Person, PersonDialog } from './PersonDialog';
import { Stage } from './Stage';

/** The joined room: banners, stage, hands and listeners, controls, and the live region. */
export function LiveRoom({ client, onLeave }: { client: RoomClient; onLeave(): void }) {
	const self = useRoomStore((s) => s.live?.self ?? null);
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
					<ActionErrorBanner />
				</div>
				{self && (
					<div className="room-layout">
						<div className="room-main">
							<Stage onSelect={selectMember} />
						</div>
						<div className="room-side">
							{canModerate(self.role) && <HandQueue />}
							<ListenerList onSelect={selectListener} />
							<ConnectionDetails />
						</div>
					</div>
				)}
				<ControlsBar onLeave={onLeave} />
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
