import { canModerate, Role } from '@majlis/protocol';

/** Things one user does to another (or to the room) that depend on both roles. */
export const Action = {
	/** Offer someone a place on the stage. */
	Invite: 'invite',
	/** Mute a stage member (pauses their producer; only they can unmute). */
	Mute: 'mute',
	/** Move a stage member back to the listeners. */
	MoveToListeners: 'moveToListeners',
	/** Remove someone from the room and ban them. */
	Remove: 'remove',
	/** End the room for everyone. */
	End: 'end',
	/** See the hand-raise queue. */
	SeeHands: 'seeHands',
	/** Delete someone's chat message. */
	DeleteMessage: 'deleteMessage',
	/** Mute or unmute someone in chat. */
	ChatMute: 'chatMute',
	/** Set the chat's slow mode. */
	SlowMode: 'slowMode',
} as const;
/** One of {@link Action}'s values. */
export type Action = (typeof Action)[keyof typeof Action];

// Authority order. Speakers and listeners are equal: being on stage gives no power over others.
const RANK: Record<Role, number> = {
	[Role.Host]: 4,
	[Role.Cohost]: 3,
	[Role.Moderator]: 2,
	[Role.Speaker]: 1,
	[Role.Listener]: 1,
};

/**
 * The one permission rule of a live room (X Spaces semantics): host, co-hosts and moderators manage the
 * stage, but only over people of lower rank (a co-host cannot mute, move or remove the host or the other
 * co-host), and only the host ends the room.
 */
export function can(actor: Role, action: Action, target?: Role): boolean {
	switch (action) {
		case Action.End: {
			return actor === Role.Host;
		}
		case Action.Invite:
		case Action.SeeHands:
		case Action.SlowMode: {
			return canModerate(actor);
		}
		case Action.Mute:
		case Action.MoveToListeners:
		case Action.Remove:
		case Action.DeleteMessage:
		case Action.ChatMute: {
			return canModerate(actor) && target !== undefined && RANK[actor] > RANK[target];
		}
		default: {
			return false;
		}
	}
}
