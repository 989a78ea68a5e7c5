import { canModerate, type Listener } from '@majlis/protocol';
import { type ReactNode, useState } from 'react';
import { ChatIcon, HandIcon, UsersIcon } from '../../../components/icons';
import { Sheet } from '../../../components/Sheet';
import { useT } from '../../../i18n';
import { useRoomStore } from '../stores/useRoomStore';
import { ChatPanel } from './ChatPanel';
import { HandQueue } from './HandQueue';
import { ListenerList } from './ListenerList';
import { ReactionBar } from './ReactionBar';

type Open = 'chat' | 'hands' | 'listeners' | null;

/**
 * The phone layout's part of the bottom bar: reactions, chat, raised hands (for those who may invite:
 * the count is always in view, so a host never misses a hand) and listeners, each opening a sheet.
 */
export function PhoneTools({ onSelect }: { onSelect(listener: Listener, opener: HTMLElement): void }) {
	const t = useT();
	const [open, setOpen] = useState<Open>(null);
	const moderator = useRoomStore((s) => (s.live ? canModerate(s.live.self.role) : false));
	const hands = useRoomStore((s) => s.live?.hands.length ?? 0);
	const listeners = useRoomStore((s) => s.live?.listenerCount ?? 0);
	const close = () => setOpen(null);

	function opener(which: Exclude<Open, null>, label: string, icon: ReactNode, count?: number) {
		return (
			<button
				type="button"
				className={`button${which === 'hands' && (count ?? 0) > 0 ? ' button-attention' : ''}`}
				aria-haspopup="dialog"
				aria-expanded={open === which}
				onClick={() => setOpen(which)}
			>
				{icon}
				<span>{label}</span>
				{count !== undefined && count > 0 && <span className="bar-count">{count}</span>}
			</button>
		);
	}

	return (
		<>
			<ReactionBar compact />
			{opener('chat', t('phone.chat'), <ChatIcon />)}
			{moderator && opener('hands', t('phone.hands'), <HandIcon />, hands)}
			{opener('listeners', t('phone.people'), <UsersIcon />, listeners)}
			<Sheet open={open === 'chat'} title={t('phone.chat')} onClose={close} keepMounted>
				<ChatPanel />
			</Sheet>
			{moderator && (
				<Sheet open={open === 'hands'} title={t('room.hands')} onClose={close}>
					<HandQueue />
				</Sheet>
			)}
			<Sheet open={open === 'listeners'} title={t('room.listeners')} onClose={close}>
				{/* The person's dialog opens over the sheet and gives focus back to the list. */}
				<ListenerList onSelect={onSelect} />
			</Sheet>
		</>
	);
}
