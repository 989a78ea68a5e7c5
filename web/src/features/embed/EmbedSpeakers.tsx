import type { StageMember, UserSummary } from '@majlis/protocol';
import { Avatar } from '../../components/Avatar';
import { useT } from '../../i18n';
import { useRoomStore } from '../room/stores/useRoomStore';

const nobody: string[] = [];

/**
 * One row of faces: the stage with its speaking rings while listening, else the room's hosts. Names are
 * under each face and the speaking state is spoken to screen readers, as on the room page's stage.
 */
export function EmbedSpeakers({ roomId, hosts }: { roomId: string; hosts: readonly UserSummary[] }) {
	const t = useT();
	const stage = useRoomStore((s) =>
		s.roomId === roomId && s.status !== 'closed' ? s.live?.stage : undefined
	);
	const speaking = useRoomStore((s) => (s.roomId === roomId ? (s.live?.speaking ?? nobody) : nobody));
	const people: Pick<StageMember, 'userId' | 'displayName'>[] =
		stage ?? hosts.map((h) => ({ userId: h.id, displayName: h.displayName }));

	return (
		<ul className="embed-speakers" aria-label={t(stage ? 'room.stage' : 'embed.hosts')}>
			{people.map((person) => {
				const isSpeaking = speaking.includes(person.userId);

				return (
					<li key={person.userId} className="embed-speaker">
						<Avatar id={person.userId} name={person.displayName} speaking={isSpeaking} />
						<bdi className="embed-speaker-name">{person.displayName}</bdi>
						{isSpeaking && <span className="sr-only">, {t('room.speaking')}</span>}
					</li>
				);
			})}
		</ul>
	);
}
