import { type PinnedLink, Role } from '@majlis/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';
import { useSessionRequest } from '../useSessionRequest';

/**
 * The pinned link, for everyone: its title (the pinner's, else the page's own, fetched by the server)
 * and the link itself; the host and co-hosts get "Pin link" (fields "Link" and "Link title") and "Unpin".
 */
export function PinnedLinkBar() {
	const t = useT();
	const client = useRoomClient();
	const role = useRoomStore((s) => s.live?.self.role);
	const mayPin = role === Role.Host || role === Role.Cohost;
	const [link, setLink] = useState<PinnedLink | null>(null);
	const [editing, setEditing] = useState(false);
	const [url, setUrl] = useState('');
	const [title, setTitle] = useState('');
	const [error, setError] = useState<string | null>(null);
	const dialogId = useId();

	useSessionRequest('link:current', (reply) => setLink(reply.link));

	useEffect(
		() =>
			client.on('notification', (n) => {
				if (n.type === 'link:pinned') {
					setLink((n.data as { link: PinnedLink | null }).link);
				}
			}),
		[client]
	);

	async function pin(event: FormEvent) {
		event.preventDefault();
		if (!/^https:\/\/\S+$/i.test(url.trim())) {
			setError(t('pin.httpsOnly'));

			return;
		}
		try {
			await client.request('link:pin', { url: url.trim(), ...(title.trim() ? { title: title.trim() } : {}) });
			setEditing(false);
			setUrl('');
			setTitle('');
			setError(null);
		} catch {
			setError(t('pin.failed'));
		}
	}

	if (!link && !mayPin) {
		return null;
	}

	return (
		<div className="pinned-link">
			{link && (
				<p className="pinned-link-body">
					<span className="pinned-link-label">{t('pin.pinned')}</span>{' '}
					<a href={link.url} target="_blank" rel="noopener noreferrer nofollow">
						<bdi dir="auto">{link.title ?? link.pageTitle ?? link.url}</bdi>
					</a>
					{link.title && link.pageTitle && (
						<span className="pinned-link-page">
							{' '}
							— <bdi dir="auto">{link.pageTitle}</bdi>
						</span>
					)}
				</p>
			)}
			{mayPin && (
				<span className="pinned-link-actions">
					<button
						type="button"
						className="button button-small"
						aria-expanded={editing}
						aria-controls={editing ? dialogId : undefined}
						onClick={() => setEditing((e) => !e)}
					>
						{t('pin.pin')}
					</button>
					{link && (
						<button
							type="button"
							className="button button-small button-quiet"
							onClick={() => void client.request('link:unpin', {}).catch(() => undefined)}
						>
							{t('pin.unpin')}
						</button>
					)}
				</span>
			)}
			{editing && (
				<form
					id={dialogId}
					className="pin-dialog"
					role="dialog"
					aria-label={t('pin.pin')}
					onSubmit={(e) => void pin(e)}
				>
					<label className="field-label">
						{t('pin.link')}
						<input type="url" dir="ltr" required value={url} onChange={(e) => setUrl(e.target.value)} />
					</label>
					<label className="field-label">
						{t('pin.linkTitle')}
						<input dir="auto" maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
					</label>
					{error && (
						<p className="form-error" role="alert">
							{error}
						</p>
					)}
					<span className="form-actions">
						<button type="submit" className="button button-primary">
							{t('pin.submit')}
						</button>
						<button type="button" className="button button-quiet" onClick={() => setEditing(false)}>
							{t('pin.cancel')}
						</button>
					</span>
				</form>
			)}
		</div>
	);
}
