import { useT } from '../../../i18n';

/** A room's topics as small chips. */
export function TopicList({ topics }: { topics: readonly string[] }) {
	const t = useT();
	if (topics.length === 0) {
		return null;
	}

	return (
		<ul className="topics" aria-label={t('schedule.topics')}>
			{topics.map((topic) => (
				<li key={topic} className="topic">
					#{topic}
				</li>
			))}
		</ul>
	);
}
