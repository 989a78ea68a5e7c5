import type { Role } from '@majlis/protocol';
import { useT } from '../i18n';

/** A small badge naming a role; nothing for plain listeners and speakers unless `always`. */
export function RoleBadge({ role, always = false }: { role: Role; always?: boolean }) {
	const t = useT();
	if (!always && (role === 'listener' || role === 'speaker')) {
		return null;
	}

	return <span className={`badge badge-${role}`}>{t(`role.${role}`)}</span>;
}
