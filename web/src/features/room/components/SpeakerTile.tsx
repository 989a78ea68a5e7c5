import type { StageMember } from '@majlis/protocol';
import { Avatar } from '../../../components/Avatar';
import { MicOffIcon } from '../../../components/icons';
import { RoleBadge } from '../../../components/RoleBadge';
import { useT } from '../../../i18n';
import { Trans } from '../../../i18n/Trans';
import { TileReactions } from './TileReactions';

/** Props of {@link SpeakerTile}. */
export interface SpeakerTileProps {
	/** The stage member. */
	member: StageMember;
	/** Whether they are speaking now (draws the ring). */
	speaking: boolean;
	/** Whether this is the viewer. */
	isSelf: boolean;
	/** Opens their options; absent when the viewer has none for them. */
	onSelect?: (member: StageMember, opener: HTMLElement) => void;
}

/** One person on stage: avatar with speaking ring, name, role badge, and mute state. */
export function SpeakerTile({ member, speaking, isSelf, onSelect }: SpeakerTileProps) {
	const t = useT();
	const content = (
		<>
			<span className="tile-avatar">
				<Avatar id={member.userId} name={member.displayName} size="large" speaking={speaking} />
				{(member.muted || !member.hasAudio) && (
					<span className="tile-mic" title={member.muted ? t('room.muted') : t('room.noAudio')}>
						<MicOffIcon />
					</span>
				)}
				<TileReactions userId={member.userId} />
			</span>
			<span className="tile-name">
				{isSelf ? (
					<Trans k="room.you" values={{ name: <bdi>{member.displayName}</bdi> }} />
				) : (
					<bdi>{member.displayName}</bdi>
				)}
			</span>
			<RoleBadge role={member.role} />
			<span className="sr-only">
				{member.muted ? `, ${t('room.muted')}` : !member.hasAudio ? `, ${t('room.noAudio')}` : ''}
				{speaking ? `, ${t('room.speaking')}` : ''}
			</span>
		</>
	);

	return (
		<li className={`tile${speaking ? ' tile-speaking' : ''}`} aria-label={member.displayName}>
			{onSelect ? (
				<button
					type="button"
					className="tile-body tile-button"
					aria-haspopup="dialog"
					onClick={(e) => onSelect(member, e.currentTarget)}
				>
					{content}
				</button>
			) : (
				<div className="tile-body">{content}</div>
			)}
		</li>
	);
}
