import type { Reaction } from '@majlis/protocol';
import type { MessageKey } from '../../../i18n';

/** How each reaction looks. */
export const REACTION_GLYPHS: Record<Reaction, string> = {
	thumbs_up: '👍',
	heart: '❤️',
	laugh: '😂',
	clap: '👏',
	hundred: '💯',
	raised_hands: '🙌',
};

/** The message key naming each reaction ("Thumbs up", …). */
export function reactionKey(reaction: Reaction): MessageKey {
	return `reaction.${reaction}`;
}
