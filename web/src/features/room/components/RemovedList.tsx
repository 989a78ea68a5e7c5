import type { UserSummary } from '@majlis/protocol';
import { useEffect, useRef, useState } from 'react';
import { PersonIdentity } from '../../../components/PersonIdentity';
import { useT } from '../../../i18n';
import { listBans, unban } from '../../rooms/roomsApi';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/**
 * People removed from the room, for its staff; the host and co-hosts can let them back in (the undo of
 * "Remove from room"). Reloaded whenever the room's membership changes, which every removal does.
 */
export function RemovedList() {
	const t = useT();
	const client = useRoomClient();
	const role = useRoomStore((s) => s.live?.self.role);
	const count = useRoomStore((s) => s.live?.listenerCount ?? 0);
	const stageSize = useRoomStore((s) => s.live?.stage.length ?? 0);
	const [removed, setRemoved] = useState<UserSummary[]>([]);
	const [lifted, setLifted] = useState<string | null>(null);
	const headingRef = useRef<HTMLHeadingElement>(null);
	const mayLift = role === 'host' || role === 'cohost';

	// biome-ignore lint/correctness/useExhaustiveDependencies: reload when the membership changes.
	useEffect(() => {
		const controller = new AbortController();
		const load = () =>
			listBans(client.roomId, controller.signal).then(
				(bans) => setRemoved(bans.map((b) => b.user)),
				() => undefined
			);
		void load();
		// The SFU records a removal with the API just after the room hears of it: look again shortly.
		const again = setTimeout(load, 1500);

		return () => {
			clearTimeout(again);
			controller.abort();
		};
	}, [client, count, stageSize]);

	async function letBackIn(user: UserSummary) {
		try {
			await unban(client.roomId, user.id);
		} catch {
			return;
		}
		setRemoved((list) => list.filter((u) => u.id !== user.id));
		setLifted(user.displayName);
		// The row and its button are gone: keep keyboard focus in this panel.
		headingRef.current?.focus();
	}

	if (removed.length === 0 && lifted === null) {
		return null;
	}

	return (
		<section className="panel removed" aria-labelledby="removed-heading">
			<h2 id="removed-heading" className="panel-title" ref={headingRef} tabIndex={-1}>
				{t('room.removedPeople')}
			</h2>
			<p role="status" className={lifted ? 'muted' : 'sr-only'}>
				{lifted && t('room.letBackInDone', { name: lifted })}
			</p>
			{removed.length > 0 && (
				<ul className="people">
					{removed.map((user) => (
						<li key={user.id} className="person-row" aria-label={user.displayName}>
							<PersonIdentity user={user} />
							{mayLift && (
								<button type="button" className="button button-small" onClick={() => void letBackIn(user)}>
									{t('room.letBackIn')}
								</button>
							)}
						</li>
					))}
				</ul>
			)}
		</section>
	);
}
