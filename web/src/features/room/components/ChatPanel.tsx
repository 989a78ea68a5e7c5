import {
	CHAT_LIMITS,
	type ChatMessage,
	type ChatSettings,
	canModerate,
	type NotificationData,
} from '@majlis/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useBlockStore } from '../stores/useBlockStore';
import { useRoomStore } from '../stores/useRoomStore';
import { useSessionRequest } from '../useSessionRequest';
import { BlockToggle } from './BlockToggle';
import { ChatText } from './ChatText';
import { ReportButton } from './ReportButton';

const SLOW_MODE_CHOICES = [0, 5, 10, 30, 60, 300] as const;

/**
 * The chat beside the stage: the last messages (a late joiner gets the last 200), a box labelled
 * "Message" with "Send", and for moderators "Delete message", chat mutes and slow mode. The server checks
 * everything (length, slow mode, mutes, the word filter); refusals are said here, in words.
 */
export function ChatPanel() {
	const t = useT();
	const client = useRoomClient();
	const self = useRoomStore((s) => s.live?.self ?? null);
	const [messages, setMessages] = useState<ChatMessage[]>([]);
	const [settings, setSettings] = useState<ChatSettings | null>(null);
	const [muted, setMuted] = useState(false);
	const [text, setText] = useState('');
	const [error, setError] = useState<string | null>(null);
	const [sending, setSending] = useState(false);
	const inputId = useId();
	const counterId = useId();
	const logRef = useRef<HTMLOListElement>(null);
	const blocked = useBlockStore((s) => s.blocked);

	// The viewer's blocks hide those people's messages.
	useEffect(() => {
		useBlockStore
			.getState()
			.load()
			.catch(() => undefined);
	}, []);

	// Each (re)connected session reads the history; notifications keep it current meanwhile.
	useSessionRequest('chat:history', (reply) => {
		setMessages(reply.messages);
		setSettings(reply.settings);
		setMuted(reply.muted);
	});

	useEffect(
		() =>
			client.on('notification', (n) => {
				if (n.type === 'chat:message') {
					const message = n.data as ChatMessage;
					setMessages((list) =>
						list.some((m) => m.id === message.id) ? list : [...list, message].slice(-CHAT_LIMITS.history)
					);
				} else if (n.type === 'chat:deleted') {
					const { messageId } = n.data as NotificationData<'chat:deleted'>;
					setMessages((list) => list.filter((m) => m.id !== messageId));
				} else if (n.type === 'chat:settings') {
					setSettings(n.data as ChatSettings);
				} else if (n.type === 'chat:muted') {
					setMuted((n.data as NotificationData<'chat:muted'>).muted);
				}
			}),
		[client]
	);

	// New messages scroll into view unless the reader scrolled up.
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs when the list changes.
	useEffect(() => {
		const log = logRef.current;
		if (log && log.scrollHeight - log.scrollTop - log.clientHeight < 80) {
			log.scrollTop = log.scrollHeight;
		}
	}, [messages]);

	if (!self || !settings || settings.mode === 'off') {
		return null;
	}
	const moderator = canModerate(self.role);
	const mayWrite = settings.mode === 'everyone' || self.onStage || moderator;
	const length = [...text.trim()].length;
	const tooLong = length > CHAT_LIMITS.maxLength;

	function refusal(e: unknown): string {
		const { code, message } = e as { code?: string; message?: string };
		const wait = /wait (\d+) s/.exec(message ?? '')?.[1];
		switch (code) {
			case 'rate_limited': {
				return wait ? t('chat.slowModeWait', { seconds: wait }) : t('chat.tooFast');
			}
			case 'too_large': {
				return t('chat.tooLong', { max: CHAT_LIMITS.maxLength });
			}
			case 'forbidden': {
				return t('chat.notAllowed');
			}
			case 'bad_request': {
				return /word/.test(message ?? '') ? t('chat.blockedWord') : t('chat.invalid');
			}
			default: {
				return t('chat.failed');
			}
		}
	}

	async function send(event: FormEvent) {
		event.preventDefault();
		if (sending || length === 0 || tooLong) {
			return;
		}
		setSending(true);
		try {
			const message = await client.request('chat:send', { text });
			setMessages((list) => (list.some((m) => m.id === message.id) ? list : [...list, message]));
			setText('');
			setError(null);
		} catch (e) {
			setError(refusal(e));
		} finally {
			setSending(false);
		}
	}

	async function act(call: () => Promise<unknown>) {
		try {
			await call();
			setError(null);
		} catch (e) {
			setError(refusal(e));
		}
	}

	const visible = messages.filter((m) => !blocked.has(m.user.id));

	return (
		<section className="panel chat" aria-labelledby="chat-heading">
			<h2 id="chat-heading" className="panel-title">
				{t('chat.title')}
			</h2>
			{settings.slowModeSeconds > 0 && (
				<p className="chat-note">{t('chat.slowModeOn', { seconds: settings.slowModeSeconds })}</p>
			)}
			{visible.length === 0 ? (
				<p className="empty">{t('chat.empty')}</p>
			) : (
				<ol className="chat-log" ref={logRef} aria-label={t('chat.title')}>
					{visible.map((m) => (
						<li key={m.id} className="chat-message" data-message-id={m.id}>
							<span className="chat-author">
								<bdi>{m.user.displayName}</bdi>
							</span>{' '}
							<ChatText text={m.text} />
							{m.user.id !== self.userId && (
								<span className="chat-actions">
									{moderator && (
										<>
											<button
												type="button"
												className="button button-small button-danger-quiet"
												onClick={() => void act(() => client.request('chat:delete', { messageId: m.id }))}
											>
												{t('chat.delete')}
											</button>
											<button
												type="button"
												className="button button-small button-quiet"
												onClick={() =>
													void act(() => client.request('chat:mute', { userId: m.user.id, muted: true }))
												}
											>
												{t('chat.muteUser')}
											</button>
										</>
									)}
									<BlockToggle userId={m.user.id} name={m.user.displayName} />
									<ReportButton
										userId={m.user.id}
										name={m.user.displayName}
										roomId={client.roomId}
										messageId={m.id}
									/>
								</span>
							)}
						</li>
					))}
				</ol>
			)}
			{error && (
				<p className="form-error chat-error" role="alert">
					{error}
				</p>
			)}
			{muted ? (
				<p className="chat-note">{t('chat.youAreMuted')}</p>
			) : mayWrite ? (
				<form className="chat-form" onSubmit={(e) => void send(e)}>
					<label htmlFor={inputId} className="field-label">
						{t('chat.message')}
					</label>
					<textarea
						id={inputId}
						className="chat-input"
						dir="auto"
						rows={2}
						value={text}
						aria-describedby={counterId}
						aria-invalid={tooLong || undefined}
						onChange={(e) => setText(e.target.value)}
						onKeyDown={(e) => {
							if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
								void send(e);
							}
						}}
					/>
					<span id={counterId} className={`field-hint${tooLong ? ' field-error' : ''}`}>
						{t('chat.counter', { count: length, max: CHAT_LIMITS.maxLength })}
					</span>
					<button
						type="submit"
						className="button button-primary"
						disabled={sending || length === 0 || tooLong}
					>
						{t('chat.send')}
					</button>
				</form>
			) : (
				<p className="chat-note">{t('chat.stageOnly')}</p>
			)}
			{moderator && (
				<label className="chat-slow">
					{t('chat.slowMode')}{' '}
					<select
						className="select-small"
						value={settings.slowModeSeconds}
						onChange={(e) =>
							void act(() => client.request('chat:slowMode', { seconds: Number(e.target.value) }))
						}
					>
						{SLOW_MODE_CHOICES.map((s) => (
							<option key={s} value={s}>
								{s === 0 ? t('chat.slowModeOff') : t('chat.seconds', { seconds: s })}
							</option>
						))}
					</select>
				</label>
			)}
		</section>
	);
}
