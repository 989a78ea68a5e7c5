import { useT } from '../../../i18n';
import { useReactionStore } from '../stores/useReactionStore';
import { REACTION_GLYPHS, reactionKey } from './reactionGlyphs';

/** The reactions aimed at one stage member in the last tick, on their tile for a moment. */
export function TileReactions({ userId }: { userId: string }) {
	const t = useT();
	const aimed = useReactionStore((s) => s.aimed[userId]);
	if (!aimed) {
		return null;
	}

	return (
		<span className="tile-reactions" data-testid="tile-reactions">
			{aimed.counts.map(({ reaction, count }) => (
				<span key={reaction} className="tile-reaction" title={t(reactionKey(reaction))}>
					<span aria-hidden="true">{REACTION_GLYPHS[reaction]}</span>
					<span className="sr-only">{t(reactionKey(reaction))}</span> {count > 1 ? `×${count}` : ''}
				</span>
			))}
		</span>
	);
}
