import { canModerate, type LiveRoomInfo, type Role, speaksByDefault } from '@majlis/protocol';
import type { Clock } from '../Clock.js';
import { NotFoundError } from '../errors.js';
import type { HostPresence } from './HostPresence.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** What {@link RoomStage} needs of its room. */
export interface RoomStageDeps {
	/** The room's connections, by user id (owned by the Room). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state (the rules). */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** The host's grace period (a new host ends it). */
	host: HostPresence;
	/** Time. */
	clock: Clock;
	/** Whether the room closed. */
	isClosed(): boolean;
	/** Throws `room_ended` once the room closed. */
	assertOpen(): void;
	/** Writes the live state through to the bus. */
	persist(): void;
	/** Makes a user's producer match their mute state; resolves once paused or resumed. */
	applyMute(userId: string): Promise<void>;
	/** A hand went up (host analytics count them). */
	onHandRaised?(): void;
}

/**
 * The stage of a live room: hands, invitations, who is on stage and who is muted, as people ask for it
 * and as the API changes settings, roles and guests. Each change goes through the {@link LiveState}
 * rules, then to the media (mutes pause producers, leaving the stage closes the send transport), the
 * notifications and the bus.
 */
export class RoomStage {
	readonly #deps: RoomStageDeps;

	/** The stage of one room. */
	constructor(deps: RoomStageDeps) {
		this.#deps = deps;
	}

	/** Raises the peer's hand (room policy permitting); moderators see it. */
	raiseHand(peer: Peer): void {
		const { state, notifier, clock } = this.#deps;
		this.#deps.assertOpen();
		const hand = state.raiseHand(peer.user, clock.now());
		if (hand) {
			this.#deps.onHandRaised?.();
			notifier.toModerators('hand:raised', hand);
			notifier.sendSelf(peer.id);
			this.#deps.persist();
		}
	}

	/** Lowers the peer's hand (no-op when it is down). */
	lowerHand(peer: Peer): void {
		const { state, notifier } = this.#deps;
		this.#deps.assertOpen();
		if (state.lowerHand(peer.id)) {
			notifier.toModerators('hand:lowered', { userId: peer.id });
			notifier.sendSelf(peer.id);
			this.#deps.persist();
		}
	}

	/** A moderator offers someone in the room a place on stage. */
	invite(peer: Peer, targetId: string): void {
		const { state, notifier } = this.#deps;
		this.#deps.assertOpen();
		const target = this.#deps.peers.get(targetId);
		if (!target) {
			throw new NotFoundError('user is not in the room');
		}
		const { handLowered } = state.invite(peer.id, targetId);
		if (handLowered) {
			notifier.toModerators('hand:lowered', { userId: targetId });
		}
		target.notify('stage:invited', { by: peer.user });
		notifier.sendSelf(targetId);
		this.#deps.persist();
	}

	/** Comes on stage, muted (invitation, speaker guest, or host/co-host). */
	accept(peer: Peer): void {
		const { state, notifier, clock } = this.#deps;
		this.#deps.assertOpen();
		const { entry, handLowered } = state.accept(peer.user, clock.now());
		notifier.broadcast('stage:member', notifier.member(entry));
		if (handLowered) {
			notifier.toModerators('hand:lowered', { userId: peer.id });
		}
		notifier.sendSelf(peer.id);
		notifier.countChanged();
		this.#deps.persist();
	}

	/** Declines an invitation. */
	decline(peer: Peer): void {
		this.#deps.assertOpen();
		this.#deps.state.decline(peer.id);
		this.#deps.notifier.sendSelf(peer.id);
		this.#deps.persist();
	}

	/** Moves a stage member (oneself or, for moderators, someone they outrank) back to the listeners. */
	remove(peer: Peer, targetId: string): void {
		const { state, notifier } = this.#deps;
		this.#deps.assertOpen();
		state.leaveStage(peer.id, targetId);
		// Listeners only receive: their microphone and send transport go.
		this.#deps.peers.get(targetId)?.closeSendTransport();
		notifier.broadcast('stage:left', { userId: targetId });
		notifier.sendSelf(targetId);
		notifier.countChanged();
		this.#deps.persist();
	}

	// Mute requests resolve once the producer is paused or resumed on the server.

	/** Mutes oneself (pauses the producer). */
	async muteSelf(peer: Peer): Promise<void> {
		this.#deps.assertOpen();
		if (this.#deps.state.mute(peer.id, peer.id)) {
			await this.#afterOwnMute(peer.id);
		}
	}

	/** Unmutes oneself (resumes the producer); only the speaker can. */
	async unmuteSelf(peer: Peer): Promise<void> {
		this.#deps.assertOpen();
		if (this.#deps.state.unmute(peer.id)) {
			await this.#afterOwnMute(peer.id);
		}
	}

	/** A moderator mutes a stage member they outrank; only the member can unmute. */
	async muteSpeaker(peer: Peer, targetId: string): Promise<void> {
		this.#deps.assertOpen();
		if (targetId === peer.id) {
			await this.muteSelf(peer);

			return;
		}
		if (this.#deps.state.mute(peer.id, targetId)) {
			this.#deps.persist();
			await this.#afterModeratorMute(peer.id, targetId);
		}
	}

	/** A moderator mutes every stage member they outrank. */
	async muteAll(peer: Peer): Promise<void> {
		this.#deps.assertOpen();
		const muted = this.#deps.state.muteAll(peer.id);
		if (muted.length > 0) {
			this.#deps.persist();
		}
		await Promise.all(muted.map((userId) => this.#afterModeratorMute(peer.id, userId)));
	}

	/** Settings changed through the API. */
	applyInfo(info: LiveRoomInfo): void {
		const { state, notifier } = this.#deps;
		if (this.#deps.isClosed()) {
			return;
		}
		const lowered = state.updateInfo(info);
		notifier.broadcast('room:updated', info);
		for (const userId of lowered) {
			notifier.toModerators('hand:lowered', { userId });
			notifier.sendSelf(userId);
		}
		this.#deps.persist();
	}

	/** An appointment changed through the API. */
	applyRole(userId: string, role: Role): void {
		const { state, notifier, clock } = this.#deps;
		if (this.#deps.isClosed()) {
			return;
		}
		const formerHost = state.hostId;
		const { before, after } = state.setAppointment(userId, role, clock.now());
		if (state.hostId !== formerHost) {
			this.#deps.host.hostChanged(formerHost);
		}
		const peer = this.#deps.peers.get(userId);
		if (peer && speaksByDefault(after)) {
			const staged = state.autoStage(peer.user, clock.now());
			if (staged) {
				notifier.countChanged();
			}
		}
		notifier.refreshUser(userId);
		if (peer && !canModerate(before) && canModerate(after)) {
			// A new moderator sees the queue as it stands.
			for (const hand of state.hands()) {
				peer.notify('hand:raised', hand);
			}
		}
		this.#deps.persist();
	}

	/** A guest-list entry changed through the API. */
	applyGuest(userId: string, kind: 'speaker' | 'listener' | null): void {
		if (this.#deps.isClosed()) {
			return;
		}
		if (this.#deps.state.setGuest(userId, kind)) {
			this.#deps.notifier.toModerators('hand:lowered', { userId });
			this.#deps.notifier.sendSelf(userId);
		}
		this.#deps.persist();
	}

	/** A removal was lifted through the API: the user may join again. */
	applyUnban(userId: string): void {
		if (this.#deps.isClosed()) {
			return;
		}
		if (this.#deps.state.unban(userId)) {
			this.#deps.persist();
		}
	}

	async #afterOwnMute(userId: string): Promise<void> {
		this.#deps.notifier.broadcastMember(userId);
		this.#deps.notifier.sendSelf(userId);
		this.#deps.persist();
		await this.#deps.applyMute(userId);
	}

	async #afterModeratorMute(by: string, userId: string): Promise<void> {
		this.#deps.notifier.broadcast('speaker:muted', { userId, by });
		this.#deps.notifier.refreshUser(userId);
		await this.#deps.applyMute(userId);
	}
}
