import { REACTIONS, type Reaction, type StageMember } from '@majlis/protocol';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';
import { REACTION_GLYPHS, reactionKey } from './reactionGlyphs';

const none: StageMember[] = [];

/**
 * The "Reactions" menu: the fixed set, for everyone in the room, optionally aimed at one person on stage
 * (their tile shows it). A refusal (too fast) is said once in the bar, not as the room's action error.
 * `compact` (the phone's bottom bar): the button and menu only, to everyone.
 */
export function ReactionBar({ compact = false }: { compact?: boolean }) {
	const t = useT();
	const client = useRoomClient();
	const stage = useRoomStore((s) => s.live?.stage ?? none);
	const selfId = useRoomStore((s) => s.live?.self.userId ?? null);
	const [open, setOpen] = useState(false);
	const [to, setTo] = useState('');
	const [notice, setNotice] = useState<string | null>(null);
	const buttonRef = useRef<HTMLButtonElement>(null);
	const menuRef = useRef<HTMLDivElement>(null);
	const menuId = useId();
	const toId = useId();

	useEffect(() => {
		if (open) {
			menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
		}
	}, [open]);

	// The target left the stage: react to everyone again.
	useEffect(() => {
		if (to && !stage.some((m) => m.userId === to)) {
			setTo('');
		}
	}, [stage, to]);

	function close(focusButton: boolean) {
		setOpen(false);
		if (focusButton) {
			buttonRef.current?.focus();
		}
	}

	async function react(reaction: Reaction) {
		close(true);
		try {
			await client.request('reaction:send', to ? { reaction, to } : { reaction });
			setNotice(null);
		} catch (error) {
			setNotice(
				(error as { code?: string }).code === 'rate_limited' ? t('reaction.tooFast') : t('reaction.failed')
			);
		}
	}

	function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
		const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
		const index = items.indexOf(document.activeElement as HTMLButtonElement);
		const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
		if (event.key === 'Escape') {
			event.preventDefault();
			close(true);
		} else if (step !== undefined) {
			event.preventDefault();
			items[(index + step + items.length) % items.length]?.focus();
		} else if (event.key === 'Home' || event.key === 'End') {
			event.preventDefault();
			items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
		} else if (event.key === 'Tab') {
			close(false);
		}
	}

	const others = stage.filter((m) => m.userId !== selfId);

	return (
		<div className={compact ? 'reaction-bar reaction-bar-compact' : 'reaction-bar'}>
			<button
				ref={buttonRef}
				type="button"
				className="button"
				aria-haspopup="menu"
				aria-expanded={open}
				aria-controls={open ? menuId : undefined}
				onClick={() => setOpen((o) => !o)}
			>
				<span aria-hidden="true">{REACTION_GLYPHS.heart}</span>{' '}
				<span>{compact ? t('phone.react') : t('reaction.menu')}</span>
			</button>
			{!compact && others.length > 0 && (
				<span className="reaction-to">
					<label htmlFor={toId}>{t('reaction.to')}</label>{' '}
					<select id={toId} className="select-small" value={to} onChange={(e) => setTo(e.target.value)}>
						<option value="">{t('reaction.toEveryone')}</option>
						{others.map((m) => (
							<option key={m.userId} value={m.userId}>
								{m.displayName}
							</option>
						))}
					</select>
				</span>
			)}
			{open && (
				<div
					id={menuId}
					ref={menuRef}
					role="menu"
					tabIndex={-1}
					aria-label={t('reaction.menu')}
					className="reaction-menu"
					onKeyDown={onMenuKey}
					onBlur={(e) => {
						if (
							!menuRef.current?.contains(e.relatedTarget as Node | null) &&
							e.relatedTarget !== buttonRef.current
						) {
							setOpen(false);
						}
					}}
				>
					{REACTIONS.map((reaction) => (
						<button
							key={reaction}
							type="button"
							role="menuitem"
							className="reaction-item"
							tabIndex={-1}
							aria-label={t(reactionKey(reaction))}
							title={t(reactionKey(reaction))}
							onClick={() => void react(reaction)}
						>
							<span aria-hidden="true">{REACTION_GLYPHS[reaction]}</span>
						</button>
					))}
				</div>
			)}
			{notice && (
				<p className="reaction-notice" role="status">
					{notice}
				</p>
			)}
		</div>
	);
}
