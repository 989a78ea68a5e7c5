import { useEffect } from 'react';
import { useRoomClient } from '../RoomClientContext';
import { useReactionStore } from '../stores/useReactionStore';
import { REACTION_GLYPHS } from './reactionGlyphs';

/**
 * Reactions floating up over the stage (the server sends one message per tick with counts; a few of
 * each float). Decorative: hidden from screen readers, and still (a fade, no movement) for people who
 * ask for reduced motion (styles/reactions-chat.css).
 */
export function ReactionOverlay() {
	const client = useRoomClient();
	const floating = useReactionStore((s) => s.floating);

	useEffect(() => {
		const { addTick, reset } = useReactionStore.getState();
		reset();
		const stop = client.on('notification', (n) => {
			if (n.type === 'reactions') {
				const data = n.data as {
					counts: Parameters<typeof addTick>[0];
					aimed: Parameters<typeof addTick>[1];
				};
				addTick(data.counts, data.aimed);
			}
		});

		return () => {
			stop();
			reset();
		};
	}, [client]);

	return (
		<div className="reaction-overlay" aria-hidden="true">
			{floating.map((f) => (
				<span
					key={f.id}
					className="reaction-float"
					data-reaction={f.reaction}
					style={{ insetInlineStart: `${f.left}%` }}
				>
					{REACTION_GLYPHS[f.reaction]}
				</span>
			))}
		</div>
	);
}
