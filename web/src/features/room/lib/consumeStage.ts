import type { ConsumerInfo } from '@majlis/protocol';
import type { Session } from './RoomConnection';

/** Sets up one paused consumer for playback; its id, or undefined when it is no longer wanted. */
export type SetUpConsumer = (data: ConsumerInfo) => Promise<string | undefined>;

// One voice that could not be set up must not keep the rest of the stage silent.
function warnConsume(error: unknown): undefined {
	console.warn('consumeStage | could not consume', error);

	return undefined;
}

/**
 * Starts receiving the stage in one round: `consume:start` with `batch` returns a paused consumer per
 * voice, all are set up in the same tick (mediasoup-client then renegotiates once for all of them), and
 * one `consumers:resume` acknowledges them. Voices that come later arrive as `consumer:new`. Resolves
 * with the server's answer; the setting up goes on after it, as for a voice announced later, so the
 * session counts as connected (and its controls work) without waiting for the audio.
 */
export async function consumeStage(
	session: Session,
	rtpCapabilities: Record<string, unknown>,
	setUp: SetUpConsumer
): Promise<void> {
	const { consumers = [] } = await session.request('consume:start', { rtpCapabilities, batch: true });
	void setUpAll(session, consumers, setUp).catch(warnConsume);
}

async function setUpAll(session: Session, consumers: readonly ConsumerInfo[], setUp: SetUpConsumer): Promise<void> {
	const ready = await Promise.all(consumers.map((data) => setUp(data).catch(warnConsume)));
	const consumerIds = ready.filter((id) => id !== undefined);
	if (consumerIds.length > 0 && session.current) {
		await session.request('consumers:resume', { consumerIds });
	}
}
