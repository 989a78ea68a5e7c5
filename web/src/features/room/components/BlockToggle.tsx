import { useState } from 'react';
import { useT } from '../../../i18n';
import { useBlockStore } from '../stores/useBlockStore';

/** "Block" / "Unblock" for one person (their chat disappears for the viewer; they cannot join the viewer's rooms). */
export function BlockToggle({ userId, name }: { userId: string; name: string }) {
	const t = useT();
	const blocked = useBlockStore((s) => s.blocked.has(userId));
	const setBlocked = useBlockStore((s) => s.set);
	const [busy, setBusy] = useState(false);

	return (
		<button
			type="button"
			className="button button-small button-quiet"
			aria-label={t(blocked ? 'block.unblockNamed' : 'block.blockNamed', { name })}
			disabled={busy}
			onClick={() => {
				setBusy(true);
				setBlocked(userId, !blocked)
					.catch(() => undefined)
					.finally(() => setBusy(false));
			}}
		>
			{t(blocked ? 'block.unblock' : 'block.block')}
		</button>
	);
}
