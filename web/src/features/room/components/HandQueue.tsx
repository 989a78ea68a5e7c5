import type { Hand } from '@majlis/protocol';
import { Avatar } from '../../../components/Avatar';
import { HandIcon } from '../../../components/icons';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

const none: Hand[] = [];

/** Raised hands, first come first served, for those who may moderate. */
export function HandQueue() {
	const t = useT();
	const client = useRoomClient();
	const hands = useRoomStore((s) => s.live?.hands ?? none);

	return (
		<section className="panel hands" aria-labelledby="hands-heading">
			<h2 id="hands-heading" className="panel-title">
				<HandIcon /> {t('room.hands')} {hands.length > 0 && <span className="count">{hands.length}</span>}
			</h2>
			{hands.length === 0 ? (
				<p className="empty">{t('room.handsEmpty')}</p>
			) : (
				<ol className="people">
					{hands.map((hand) => (
						<li key={hand.user.id} className="person-row" aria-label={hand.user.displayName}>
							<Avatar id={hand.user.id} name={hand.user.displayName} />
							<span className="person-name">
								<bdi>{hand.user.displayName}</bdi>{' '}
								<span className="handle" dir="ltr">
									@{hand.user.handle}
								</span>
							</span>
							<button
								type="button"
								className="button button-primary button-small"
								onClick={() => client.inviteToSpeak(hand.user.id)}
							>
								{t('room.inviteToSpeak')}
							</button>
						</li>
					))}
				</ol>
			)}
		</section>
	);
}
