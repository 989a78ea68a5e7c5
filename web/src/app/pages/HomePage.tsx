import { type FormEvent, useState } from 'react';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { ForYouSection } from '../../features/notifications/ForYouSection';
import { LanguageSelect } from '../../features/people/LanguageSelect';
import { RoomListSection } from '../../features/rooms/components/RoomListSection';
import type { RoomQuery } from '../../features/rooms/roomsApi';
import { useT } from '../../i18n';
import { Link } from '../Link';

/** What the discovery filters ask for (empty strings: no filter). */
interface Filters {
	q: string;
	topic: string;
	language: string;
}

const NO_FILTERS: Filters = { q: '', topic: '', language: '' };

/** The listing query of `filters`, without the empty ones. */
function toQuery(filters: Filters): Omit<RoomQuery, 'state'> {
	return {
		...(filters.q.trim() ? { q: filters.q.trim() } : {}),
		...(filters.topic.trim() ? { topic: filters.topic.trim() } : {}),
		...(filters.language ? { language: filters.language } : {}),
	};
}

/** Search, topic and language filters over the home lists (reach, issue 14). */
function DiscoveryFilters({ onApply }: { onApply(filters: Filters): void }) {
	const t = useT();
	const [draft, setDraft] = useState<Filters>(NO_FILTERS);
	const set = (key: keyof Filters, value: string) => setDraft((d) => ({ ...d, [key]: value }));

	function submit(e: FormEvent) {
		e.preventDefault();
		onApply(draft);
	}

	return (
		<search className="card discovery" aria-label={t('discover.label')}>
			<form className="discovery-form" onSubmit={submit}>
				<InputField
					label={t('discover.q')}
					type="search"
					name="q"
					maxLength={100}
					value={draft.q}
					onChange={(value) => set('q', value)}
				/>
				<InputField
					label={t('discover.topic')}
					name="topic"
					maxLength={30}
					value={draft.topic}
					onChange={(value) => set('topic', value)}
				/>
				<Field label={t('discover.language')}>
					{(props) => (
						<LanguageSelect
							{...props}
							value={draft.language}
							emptyLabel={t('discover.anyLanguage')}
							onChange={(language) => {
								set('language', language);
								onApply({ ...draft, language });
							}}
						/>
					)}
				</Field>
				<button type="submit" className="button button-primary">
					{t('discover.search')}
				</button>
			</form>
		</search>
	);
}

/** Home: rooms for you, live now, upcoming and past (with their replays), filtered by search, topic and language. */
export function HomePage() {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const [filters, setFilters] = useState<Filters>(NO_FILTERS);
	const query = toQuery(filters);

	return (
		<div className="home">
			<div className="home-hero">
				<div>
					<h1>{t('home.heading')}</h1>
					<p className="lead">{t('home.lead')}</p>
				</div>
				{user && (
					<Link to="/schedule" className="button button-primary">
						{t('home.hostOne')}
					</Link>
				)}
			</div>
			{/* Reach: followed hosts' and reminded rooms first. */}
			{user && <ForYouSection key={user.id} />}
			<DiscoveryFilters onApply={setFilters} />
			<RoomListSection
				id="live"
				query={{ ...query, state: 'live' }}
				heading="home.live"
				empty="home.noLive"
			/>
			<RoomListSection
				id="scheduled"
				query={{ ...query, state: 'scheduled' }}
				heading="home.upcoming"
				empty="home.noUpcoming"
			/>
			<RoomListSection
				id="ended"
				query={{ ...query, state: 'ended' }}
				heading="home.past"
				empty="home.noPast"
			/>
		</div>
	);
}
