import type { Hand } from '@majlis/protocol';
import { useEffect, useId, useRef } from 'react';
import { HandIcon } from '../../../components/icons';
import { PersonIdentity } from '../../../components/PersonIdentity';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

const none: Hand[] = [];

/** Raised hands, first come first served, for those who may moderate. */
export function HandQueue() {
	const t = useT();
	const client = useRoomClient();
	const hands = useRoomStore((s) => s.live?.hands ?? none);
	const stageFull = useRoomStore((s) => (s.live ? s.live.stage.length >= s.live.room.maxSpeakers : false));
	const maxSpeakers = useRoomStore((s) => s.live?.room.maxSpeakers ?? 0);
	const fullId = useId();
	const headingRef = useRef<HTMLHeadingElement>(null);
	const listRef = useRef<HTMLOListElement>(null);

	// The invited hand may leave the queue, its button with it: keep keyboard focus in the queue, on the
	// next hand's Invite, or on the heading once the queue is empty.
	const pendingFocus = useRef<number | null>(null);
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs when the queue changes, which hands marks.
	useEffect(() => {
		const index = pendingFocus.current;
		const active = document.activeElement;
		if (index === null || (active && active !== document.body && listRef.current?.contains(active))) {
			return;
		}
		if (active && active !== document.body) {
			pendingFocus.current = null;

			return;
		}
		pendingFocus.current = null;
		const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button');
		const next = buttons?.[Math.min(index, buttons.length - 1)];
		(next ?? headingRef.current)?.focus();
	}, [hands]);

	function invite(userId: string, index: number) {
		pendingFocus.current = index;
		void client.inviteToSpeak(userId);
	}

	return (
		<section className="panel hands" aria-labelledby="hands-heading">
			<h2 id="hands-heading" className="panel-title" ref={headingRef} tabIndex={-1}>
				<HandIcon /> {t('room.hands')} {hands.length > 0 && <span className="count">{hands.length}</span>}
			</h2>
			{hands.length === 0 ? (
				<p className="empty">{t('room.handsEmpty')}</p>
			) : (
				<ol className="people" ref={listRef}>
					{hands.map((hand, index) => (
						<li key={hand.user.id} className="person-row" aria-label={hand.user.displayName}>
							<PersonIdentity user={hand.user} />
							<button
								type="button"
								className="button button-primary button-small"
								aria-disabled={stageFull || undefined}
								aria-describedby={stageFull ? fullId : undefined}
								onClick={() => !stageFull && invite(hand.user.id, index)}
							>
								{t('room.inviteToSpeak')}
							</button>
						</li>
					))}
				</ol>
			)}
			{stageFull && hands.length > 0 && (
				<p id={fullId} className="field-hint">
					{t('room.stageFull', { count: maxSpeakers })}
				</p>
			)}
		</section>
	);
}
