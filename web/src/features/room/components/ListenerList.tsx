import type { Listener } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { Avatar } from '../../../components/Avatar';
import { RoleBadge } from '../../../components/RoleBadge';
import { useT } from '../../../i18n';
import { Trans } from '../../../i18n/Trans';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

const PAGE = 100;

/** Everyone not on stage (first page), refreshed as people come and go. */
export function ListenerList({ onSelect }: { onSelect(listener: Listener, opener: HTMLElement): void }) {
	const t = useT();
	const client = useRoomClient();
	const count = useRoomStore((s) => s.live?.listenerCount ?? 0);
	const stageSize = useRoomStore((s) => s.live?.stage.length ?? 0);
	const self = useRoomStore((s) => s.live?.self ?? null);
	const connected = useRoomStore((s) => s.status === 'connected');
	const [page, setPage] = useState<{ items: Listener[]; total: number } | null>(null);

	// Refetch when the count or the stage changes (listeners:count is throttled by the server).
	// biome-ignore lint/correctness/useExhaustiveDependencies: count, stage size and onStage are refetch triggers.
	useEffect(() => {
		if (!connected) {
			return;
		}
		let cancelled = false;
		const timer = setTimeout(() => {
			client.listListeners(0, PAGE).then(
				(result) => !cancelled && setPage(result),
				() => undefined
			);
		}, 300);

		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [client, count, stageSize, connected, self?.onStage]);

	const items = page?.items ?? [];

	return (
		<section className="panel listeners" aria-labelledby="listeners-heading">
			<h2 id="listeners-heading" className="panel-title">
				{t('room.listeners')} <span className="count">{count}</span>
			</h2>
			{items.length === 0 ? (
				<p className="empty">{t('room.listenersEmpty')}</p>
			) : (
				<ul className="people">
					{items.map((listener) => {
						const isSelf = listener.id === self?.userId;
						const content = (
							<>
								<Avatar id={listener.id} name={listener.displayName} />
								<span className="person-name">
									{isSelf ? (
										<Trans k="room.you" values={{ name: <bdi>{listener.displayName}</bdi> }} />
									) : (
										<bdi>{listener.displayName}</bdi>
									)}
								</span>
								<RoleBadge role={listener.role} />
							</>
						);

						return (
							<li key={listener.id} aria-label={listener.displayName}>
								{/* Anyone opens another person's options: Report and Block are for everyone (#15). */}
								{!isSelf ? (
									<button
										type="button"
										className="person-row person-button"
										aria-haspopup="dialog"
										onClick={(e) => onSelect(listener, e.currentTarget)}
									>
										{content}
									</button>
								) : (
									<div className="person-row">{content}</div>
								)}
							</li>
						);
					})}
				</ul>
			)}
			{page && page.total > items.length && (
				<p className="muted">{t('room.listenersMore', { count: page.total - items.length })}</p>
			)}
		</section>
	);
}
