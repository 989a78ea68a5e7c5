import { EMBED_SIZE, embedIframeHtml, embedPath } from '@majlis/protocol';
import { useId, useRef, useState } from 'react';
import { copyText } from '../../components/copyText';
import { Sheet } from '../../components/Sheet';
import { useT } from '../../i18n';

/**
 * The share menu's "Embed": a dialog with the room's `<iframe>` snippet (the same one oEmbed answers)
 * and a Copy button whose result is announced to screen readers.
 */
export function EmbedDialog({ roomId, title }: { roomId: string; title: string }) {
	const t = useT();
	const [open, setOpen] = useState(false);
	const [copied, setCopied] = useState(false);
	const codeId = useId();
	const field = useRef<HTMLTextAreaElement>(null);
	const snippet = embedIframeHtml({
		src: new URL(embedPath(roomId), window.location.origin).toString(),
		title,
		...EMBED_SIZE,
	});

	async function copy() {
		await copyText(snippet, field.current);
		setCopied(true);
		setTimeout(() => setCopied(false), 2500);
	}

	return (
		<>
			<button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
				{t('embed.button')}
			</button>
			<Sheet open={open} title={t('embed.title')} onClose={() => setOpen(false)}>
				<p className="muted">{t('embed.lead')}</p>
				<label htmlFor={codeId} className="share-label">
					{t('embed.code')}
				</label>
				<textarea
					id={codeId}
					ref={field}
					className="embed-code"
					readOnly
					rows={4}
					dir="ltr"
					value={snippet}
					onFocus={(e) => e.currentTarget.select()}
				/>
				<div className="sheet-actions">
					<button type="button" className="button button-primary" onClick={copy}>
						{t('embed.copy')}
					</button>
				</div>
				<span role="status" className="share-status">
					{copied ? t('embed.copied') : ''}
				</span>
			</Sheet>
		</>
	);
}
