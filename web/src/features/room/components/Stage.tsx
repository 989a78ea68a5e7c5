import type { StageMember } from '@majlis/protocol';
import { useT } from '../../../i18n';
import { useRoomStore } from '../stores/useRoomStore';
import { SpeakerTile } from './SpeakerTile';

const none: StageMember[] = [];
const nobody: string[] = [];

/** The stage: everyone who can speak, in the order they came up. */
export function Stage({ onSelect }: { onSelect(member: StageMember, opener: HTMLElement): void }) {
	const t = useT();
	const stage = useRoomStore((s) => s.live?.stage ?? none);
	const speaking = useRoomStore((s) => s.live?.speaking ?? nobody);
	const self = useRoomStore((s) => s.live?.self ?? null);

	return (
		<section className="panel stage" aria-labelledby="stage-heading">
			<h2 id="stage-heading" className="panel-title">
				{t('room.stage')}
			</h2>
			{stage.length === 0 ? (
				<p className="empty">{t('room.stageEmpty')}</p>
			) : (
				<ul className="stage-grid">
					{stage.map((member) => {
						const isSelf = member.userId === self?.userId;

						return (
							<SpeakerTile
								key={member.userId}
								member={member}
								speaking={speaking.includes(member.userId)}
								isSelf={isSelf}
								onSelect={onSelect}
							/>
						);
					})}
				</ul>
			)}
		</section>
	);
}
