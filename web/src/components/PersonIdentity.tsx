import type { UserSummary } from '@majlis/protocol';
import { Avatar } from './Avatar';

/** A person as a row of a people list shows them: avatar, display name and @handle. */
export function PersonIdentity({ user }: { user: Pick<UserSummary, 'id' | 'displayName' | 'handle'> }) {
	return (
		<>
			<Avatar id={user.id} name={user.displayName} />
			<span className="person-name">
				<bdi>{user.displayName}</bdi>{' '}
				<span className="handle" dir="ltr">
					@{user.handle}
				</span>
			</span>
		</>
	);
}
