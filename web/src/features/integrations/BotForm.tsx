import type { UserSummary } from '@majlis/protocol';
import { type FormEvent, useState } from 'react';
import { InputField } from '../../components/InputField';
import { useT } from '../../i18n';
import { fieldMessages } from './fieldMessages';
import { createBot } from './integrationsApi';

/** Creates a bot account: a user owned by the caller that acts only through the tokens made for it. */
export function BotForm({ onCreated }: { onCreated(bot: UserSummary): void }) {
	const t = useT();
	const [handle, setHandle] = useState('');
	const [displayName, setDisplayName] = useState('');
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [created, setCreated] = useState<string | null>(null);

	async function submit(event: FormEvent) {
		event.preventDefault();
		try {
			const bot = await createBot({ handle: handle.trim(), displayName: displayName.trim() });
			onCreated(bot);
			setCreated(bot.displayName);
			setHandle('');
			setDisplayName('');
			setErrors({});
		} catch (error) {
			setErrors(fieldMessages(error, t) ?? { handle: t('error.generic') });
		}
	}

	return (
		<form className="settings-form bot-form" onSubmit={(e) => void submit(e)} noValidate>
			<h3>{t('bots.title')}</h3>
			<p className="field-hint">{t('bots.lead')}</p>
			<InputField
				label={t('auth.handle')}
				error={errors.handle ?? null}
				name="botHandle"
				dir="ltr"
				autoCapitalize="none"
				spellCheck={false}
				value={handle}
				onChange={setHandle}
			/>
			<InputField
				label={t('auth.displayName')}
				error={errors.displayName ?? null}
				name="botName"
				value={displayName}
				onChange={setDisplayName}
			/>
			<button type="submit" className="button">
				{t('bots.create')}
			</button>
			{created && <p role="status">{t('bots.created', { name: created })}</p>}
		</form>
	);
}
