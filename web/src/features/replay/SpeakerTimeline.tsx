import { Avatar } from '../../components/Avatar';
import { useT } from '../../i18n';
import { formatClock } from './duration';
import type { SpeakerTurns } from './speakerTurns';

// More turn buttons than this per speaker would drown the list; the slider reaches the rest.
const MAX_TURNS = 12;

/** The speakers of a replay: who speaks now lights up, and each turn is a button that jumps to it. */
export function SpeakerTimeline({
	speakers,
	durationMs,
	speakingNow,
	onJump,
}: {
	speakers: SpeakerTurns[];
	durationMs: number;
	speakingNow: ReadonlySet<string>;
	onJump(ms: number): void;
}) {
	const t = useT();
	if (speakers.length === 0) {
		return <p className="muted">{t('replay.nobodySpoke')}</p>;
	}

	return (
		<ul className="replay-speakers">
			{speakers.map(({ user, turns, totalMs }) => {
				const now = speakingNow.has(user.id);
				return (
					<li key={user.id} className={now ? 'replay-speaker is-speaking' : 'replay-speaker'}>
						<div className="replay-speaker-head">
							<Avatar id={user.id} name={user.displayName} speaking={now} />
							<bdi className="replay-speaker-name">{user.displayName}</bdi>
							<span className="replay-speaker-total" dir="ltr">
								{formatClock(totalMs)}
							</span>
							{now && <span className="badge badge-speaking">{t('replay.speakingNow')}</span>}
						</div>
						{/* Where the turns fall in the recording (the buttons below say the same in words). */}
						<div className="replay-track" aria-hidden="true" dir="ltr">
							{turns.map((turn) => (
								<span
									key={turn.fromMs}
									className="replay-turn"
									style={{
										insetInlineStart: `${(turn.fromMs / Math.max(1, durationMs)) * 100}%`,
										inlineSize: `${Math.max(0.5, ((turn.toMs - turn.fromMs) / Math.max(1, durationMs)) * 100)}%`,
									}}
								/>
							))}
						</div>
						{turns.length > 0 && (
							<ul className="replay-turns">
								{turns.slice(0, MAX_TURNS).map((turn) => (
									<li key={turn.fromMs}>
										<button
											type="button"
											className="button button-small button-quiet"
											aria-label={t('replay.jump', {
												name: user.displayName,
												time: formatClock(turn.fromMs),
											})}
											onClick={() => onJump(turn.fromMs)}
										>
											<span dir="ltr">{formatClock(turn.fromMs)}</span>
										</button>
									</li>
								))}
							</ul>
						)}
					</li>
				);
			})}
		</ul>
	);
}
