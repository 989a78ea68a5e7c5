import type { Profile } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { getProfile, setFollowing } from '../../features/people/peopleApi';
import { RoomListSection } from '../../features/rooms/components/RoomListSection';
import { type MessageKey, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';
import { PageError, PageLoading } from '../PageStatus';
import { loginPath } from '../router';

/** `/u/:handle`: a person's name, avatar, bio, follow counts and rooms, with Follow/Unfollow. */
export function ProfilePage({ handle }: { handle: string }) {
	const t = useT();
	const me = useAuthStore((s) => s.user);
	const [profile, setProfile] = useState<Profile | null>(null);
	const [error, setError] = useState<MessageKey | null>(null);
	const [busy, setBusy] = useState(false);
	const [actionError, setActionError] = useState<MessageKey | null>(null);

	// biome-ignore lint/correctness/useExhaustiveDependencies: reload when the viewer changes (followedByMe).
	useEffect(() => {
		const controller = new AbortController();
		setError(null);
		getProfile(handle, controller.signal).then(setProfile, (e: unknown) => {
			if ((e as Error).name !== 'AbortError') {
				setError(errorMessageKey(e));
			}
		});

		return () => controller.abort();
	}, [handle, me?.id]);

	if (error) {
		return <PageError message={error === 'error.notFound' ? 'profile.notFound' : error} />;
	}
	if (!profile) {
		return <PageLoading label="profile.loading" />;
	}

	async function toggleFollow() {
		if (!profile || profile.followedByMe === null) {
			return;
		}
		const follow = !profile.followedByMe;
		setBusy(true);
		setActionError(null);
		try {
			await setFollowing(profile.handle, follow);
			setProfile({ ...profile, followedByMe: follow, followers: profile.followers + (follow ? 1 : -1) });
		} catch (e) {
			setActionError(errorMessageKey(e));
		} finally {
			setBusy(false);
		}
	}

	const mine = me?.id === profile.id;

	return (
		<div className="profile">
			<div className="card profile-head">
				{profile.avatarUrl ? (
					<img
						className="avatar avatar-photo avatar-large"
						src={profile.avatarUrl}
						alt=""
						width={72}
						height={72}
					/>
				) : (
					<Avatar id={profile.id} name={profile.displayName} size="large" />
				)}
				<div className="profile-who">
					<h1 dir="auto">{profile.displayName}</h1>
					<p className="muted" dir="ltr">
						@{profile.handle}
					</p>
					<p className="profile-counts">
						<span>{t('profile.followers', { count: profile.followers })}</span>
						<span>{t('profile.following', { count: profile.following })}</span>
					</p>
				</div>
				<div className="profile-actions">
					{mine ? (
						<Link to="/settings" className="button">
							{t('profile.edit')}
						</Link>
					) : me ? (
						<button
							type="button"
							className={profile.followedByMe ? 'button' : 'button button-primary'}
							aria-pressed={profile.followedByMe === true}
							disabled={busy}
							onClick={toggleFollow}
						>
							{t(profile.followedByMe ? 'profile.unfollow' : 'profile.follow')}
						</button>
					) : (
						<Link to={loginPath(`/u/${profile.handle}`)} className="button button-primary">
							{t('profile.follow')}
						</Link>
					)}
				</div>
				{profile.bio && (
					<p className="profile-bio" dir="auto">
						{profile.bio}
					</p>
				)}
				{actionError && (
					<p role="alert" className="notice notice-error">
						{t(actionError)}
					</p>
				)}
			</div>
			<RoomListSection
				id="profile-live"
				query={{ host: profile.handle, state: 'live' }}
				heading="profile.live"
				empty="profile.noLive"
			/>
			<RoomListSection
				id="profile-upcoming"
				query={{ host: profile.handle, state: 'scheduled' }}
				heading="profile.upcoming"
				empty="profile.noUpcoming"
			/>
			<RoomListSection
				id="profile-past"
				query={{ host: profile.handle, state: 'ended' }}
				heading="profile.past"
				empty="profile.noPast"
			/>
		</div>
	);
}
