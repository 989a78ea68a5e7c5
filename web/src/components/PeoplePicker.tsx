import type { UserSummary } from '@majlis/protocol';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { searchUsers } from '../features/rooms/roomsApi';
import { useT } from '../i18n';
import { Avatar } from './Avatar';
import { PersonIdentity } from './PersonIdentity';

/** Props of {@link PeoplePicker}. */
export interface PeoplePickerProps {
	/** Group heading (e.g. "Co-hosts"). */
	legend: string;
	/** Help text. */
	hint: string;
	/** Label of the search box. */
	searchLabel: string;
	/** Shown when nobody is picked. */
	emptyText: string;
	/** People picked so far. */
	selected: readonly UserSummary[];
	/** Ids that may not be picked (e.g. the host). */
	exclude?: readonly string[];
	/** Adds a person. */
	onAdd(user: UserSummary): void;
	/** Removes a person. */
	onRemove(user: UserSummary): void;
	/** Extra control per picked person (e.g. guest type). */
	renderExtra?(user: UserSummary): ReactNode;
}

/** Picks people by searching `GET /api/users?q=`: a search box, results to add, and the picked list. */
export function PeoplePicker(props: PeoplePickerProps) {
	const t = useT();
	const id = useId();
	const [query, setQuery] = useState('');
	const [results, setResults] = useState<UserSummary[] | null>(null);
	const searchRef = useRef<HTMLInputElement>(null);
	const { selected, exclude = [], onAdd, onRemove, renderExtra } = props;

	useEffect(() => {
		const q = query.trim();
		if (q.length < 1) {
			setResults(null);

			return;
		}
		const controller = new AbortController();
		const timer = setTimeout(() => {
			searchUsers(q, controller.signal).then(setResults, (error: Error) => {
				if (error.name !== 'AbortError') {
					setResults([]);
				}
			});
		}, 250);

		return () => {
			clearTimeout(timer);
			controller.abort();
		};
	}, [query]);

	const taken = new Set([...exclude, ...selected.map((u) => u.id)]);
	const visible = results?.filter((u) => !taken.has(u.id)) ?? null;

	return (
		<fieldset className="picker">
			<legend className="field-label">{props.legend}</legend>
			<p className="field-hint">{props.hint}</p>
			{selected.length > 0 ? (
				<ul className="picker-selected">
					{selected.map((user) => (
						<li key={user.id} className="person-row">
							<PersonIdentity user={user} />
							{renderExtra?.(user)}
							<button
								type="button"
								className="button button-quiet button-small"
								onClick={() => onRemove(user)}
							>
								{t('schedule.remove', { name: user.displayName })}
							</button>
						</li>
					))}
				</ul>
			) : (
				<p className="muted">{props.emptyText}</p>
			)}
			<label htmlFor={`${id}-search`} className="picker-search-label">
				{props.searchLabel}
			</label>
			<input
				ref={searchRef}
				id={`${id}-search`}
				type="search"
				autoComplete="off"
				placeholder={t('schedule.searchPlaceholder')}
				value={query}
				onChange={(e) => setQuery(e.target.value)}
			/>
			<div aria-live="polite">
				{visible && visible.length === 0 && <p className="muted">{t('schedule.noResults')}</p>}
				{visible && visible.length > 0 && (
					<ul className="picker-results">
						{visible.slice(0, 8).map((user) => (
							<li key={user.id}>
								<button
									type="button"
									className="person-row person-add"
									onClick={() => {
										onAdd(user);
										setQuery('');
										// The clicked result goes away with the query: carry on from the search box.
										searchRef.current?.focus();
									}}
								>
									<Avatar id={user.id} name={user.displayName} />
									<span className="person-name">{t('schedule.add', { name: user.displayName })}</span>
									<span className="handle" dir="ltr">
										@{user.handle}
									</span>
								</button>
							</li>
						))}
					</ul>
				)}
			</div>
		</fieldset>
	);
}
