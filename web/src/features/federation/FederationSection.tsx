import type { FederationSettings, FediverseFollow, FediversePost } from '@majlis/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiRequestError } from '../../api';
import { Field } from '../../components/Field';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import {
	followFediverse,
	getFederation,
	getFediverseFeed,
	listFediverseFollows,
	setFederation,
	unfollowFediverse,
} from './federationApi';

/** What a post from the fediverse is now: a scheduled event, live, or ended. */
function postState(post: FediversePost): MessageKey {
	if (post.endsAt) {
		return 'federation.post.ended';
	}

	return post.kind === 'event' ? 'federation.post.scheduled' : 'federation.post.live';
}

/** Why a follow failed, in the reader's words. */
function followError(error: unknown): MessageKey {
	if (error instanceof ApiRequestError) {
		if (error.status === 404) {
			return 'federation.follow.notFound';
		}
		if (error.status === 400) {
			return 'federation.follow.invalid';
		}
	}

	return 'error.generic';
}

/**
 * Account settings → Fediverse (shown only when the server federates): share my public rooms as
 * `@handle@domain`, follow fediverse accounts by address, and see the rooms they announced.
 */
export function FederationSection() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [settings, setSettings] = useState<FederationSettings | null>(null);
	const [follows, setFollows] = useState<FediverseFollow[]>([]);
	const [posts, setPosts] = useState<FediversePost[]>([]);
	const [address, setAddress] = useState('');
	const [addressError, setAddressError] = useState<string | null>(null);
	const [failed, setFailed] = useState(false);
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		const controller = new AbortController();
		getFederation(controller.signal).then(
			async (value) => {
				setSettings(value);
				if (value.available && value.enabled) {
					const [list, feed] = await Promise.all([
						listFediverseFollows(controller.signal),
						getFediverseFeed(controller.signal),
					]);
					setFollows(list);
					setPosts(feed);
				}
			},
			(e: Error) => e.name !== 'AbortError' && setFailed(true)
		);

		return () => controller.abort();
	}, []);

	if (!settings?.available) {
		return null;
	}

	async function toggle(enabled: boolean) {
		setBusy(true);
		try {
			setSettings(await setFederation(enabled));
			setFailed(false);
		} catch {
			setFailed(true);
		} finally {
			setBusy(false);
		}
	}

	async function follow(event: FormEvent) {
		event.preventDefault();
		if (address.trim() === '') {
			setAddressError(t('federation.follow.required'));

			return;
		}
		try {
			const created = await followFediverse(address.trim());
			setFollows((list) => [created, ...list.filter((f) => f.id !== created.id)]);
			setAddress('');
			setAddressError(null);
		} catch (error) {
			setAddressError(t(followError(error)));
		}
	}

	async function unfollow(id: string) {
		try {
			await unfollowFediverse(id);
			setFollows((list) => list.filter((f) => f.id !== id));
		} catch {
			setFailed(true);
		}
	}

	return (
		<section className="settings-section card" aria-labelledby="federation-title">
			<h2 id="federation-title">{t('federation.title')}</h2>
			<p className="field-hint">{t('federation.lead')}</p>
			{failed && (
				<p className="form-error" role="alert">
					{t('error.generic')}
				</p>
			)}
			<label className="check">
				<input
					type="checkbox"
					checked={settings.enabled}
					disabled={busy}
					aria-describedby="federation-address"
					onChange={(e) => void toggle(e.target.checked)}
				/>
				{t('federation.share')}
			</label>
			<p id="federation-address" className="settings-meta">
				{t('federation.address')} <code dir="ltr">{settings.address}</code>
			</p>
			{settings.enabled && (
				<>
					<form className="settings-form" onSubmit={(e) => void follow(e)} noValidate>
						<Field label={t('federation.follow.label')} hint={t('federation.follow.hint')} error={addressError}>
							{(props) => (
								<input
									{...props}
									name="fediverseAddress"
									dir="ltr"
									autoComplete="off"
									value={address}
									onChange={(e) => setAddress(e.target.value)}
								/>
							)}
						</Field>
						<button type="submit" className="button">
							{t('federation.follow.submit')}
						</button>
					</form>
					{follows.length > 0 && (
						<ul className="settings-list" aria-label={t('federation.following')}>
							{follows.map((f) => (
								<li key={f.id} className="settings-item">
									<div>
										<strong>
											<bdi dir="auto">{f.name}</bdi>
										</strong>{' '}
										<code dir="ltr">{f.address}</code>
										{!f.accepted && <span className="settings-meta"> {t('federation.pending')}</span>}
									</div>
									<button
										type="button"
										className="button button-small"
										aria-label={t('federation.unfollowNamed', { name: f.address })}
										onClick={() => void unfollow(f.id)}
									>
										{t('federation.unfollow')}
									</button>
								</li>
							))}
						</ul>
					)}
					<h3>{t('federation.feed')}</h3>
					{posts.length === 0 ? (
						<p className="empty">{t('federation.feedEmpty')}</p>
					) : (
						<ul className="settings-list">
							{posts.map((p) => (
								<li key={p.id} className="settings-item">
									<div>
										{p.url ? (
											<a href={p.url} rel="noopener noreferrer" target="_blank">
												<bdi dir="auto">{p.name || p.content.slice(0, 80)}</bdi>
											</a>
										) : (
											<bdi dir="auto">{p.name || p.content.slice(0, 80)}</bdi>
										)}
										<p className="settings-meta">
											{t(postState(p))}
											{p.startsAt && ` · ${formatDateTime(lang, p.startsAt)}`}
											{' · '}
											<bdi dir="auto">{p.author.name}</bdi> <code dir="ltr">{p.author.address}</code>
										</p>
									</div>
								</li>
							))}
						</ul>
					)}
				</>
			)}
		</section>
	);
}
