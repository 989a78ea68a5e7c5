import {
	API_SCOPES,
	type ApiScope,
	type ApiToken,
	INTEGRATION_LIMITS,
	type UserSummary,
} from '@majlis/protocol';
import { type FormEvent, useState } from 'react';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import { BotForm } from './BotForm';
import { ChoiceFieldset } from './ChoiceFieldset';
import { createToken, listBots, listTokens, revokeToken } from './integrationsApi';
import { SettingsListSection } from './SettingsListSection';
import { useSettingsList } from './useSettingsList';

/** The label of each scope. */
export const SCOPE_LABELS: Record<ApiScope, MessageKey> = {
	read: 'tokens.scope.read',
	'rooms:schedule': 'tokens.scope.schedule',
	'rooms:manage': 'tokens.scope.manage',
	webhooks: 'tokens.scope.webhooks',
};

/**
 * Account settings → API tokens: create one (name, scopes, acting as me or one of my bots), see it once,
 * list them with their last use, and revoke them; plus creating bot accounts.
 */
export function ApiTokensSection() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [bots, setBots] = useState<UserSummary[]>([]);
	const list = useSettingsList<ApiToken>(async (signal) => {
		const [tokens, botList] = await Promise.all([listTokens(signal), listBots(signal)]);
		setBots(botList);

		return tokens;
	}, revokeToken);
	const { errors, setErrors } = list;
	const [name, setName] = useState('');
	const [scopes, setScopes] = useState<ApiScope[]>(['read']);
	const [botId, setBotId] = useState('');
	const [secret, setSecret] = useState<string | null>(null);

	async function submit(event: FormEvent) {
		event.preventDefault();
		const problems: Record<string, string> = {};
		if (name.trim() === '') {
			problems.name = t('tokens.nameRequired');
		}
		if (scopes.length === 0) {
			problems.scopes = t('tokens.scopesRequired');
		}
		setErrors(problems);
		if (Object.keys(problems).length > 0) {
			return;
		}
		try {
			const created = await createToken({ name: name.trim(), scopes, ...(botId ? { botId } : {}) });
			list.setItems((items) => [created.apiToken, ...(items ?? [])]);
			setSecret(created.token);
			setName('');
			list.setFailed(false);
		} catch (error) {
			list.showFailure(error);
		}
	}

	const form = (
		<form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
			<InputField
				label={t('tokens.name')}
				error={errors.name ?? null}
				counter={{ length: name.trim().length, max: INTEGRATION_LIMITS.tokenName.max }}
				name="tokenName"
				value={name}
				onChange={setName}
			/>
			<ChoiceFieldset
				legend={t('tokens.scopes')}
				choices={API_SCOPES}
				selected={scopes}
				onChange={setScopes}
				label={(scope) => t(SCOPE_LABELS[scope])}
				error={errors.scopes}
				errorId="token-scopes-error"
			/>
			{bots.length > 0 && (
				<Field label={t('tokens.actsAs')} error={errors.botId ?? null}>
					{(props) => (
						<select {...props} value={botId} onChange={(e) => setBotId(e.target.value)}>
							<option value="">{t('tokens.actsAsMe')}</option>
							{bots.map((b) => (
								<option key={b.id} value={b.id}>
									{b.displayName} (@{b.handle})
								</option>
							))}
						</select>
					)}
				</Field>
			)}
			<button type="submit" className="button button-primary">
				{t('tokens.create')}
			</button>
		</form>
	);

	return (
		<SettingsListSection
			titleId="tokens-title"
			title={t('tokens.title')}
			lead={t('tokens.lead')}
			failed={list.failed}
			secret={{ label: t('tokens.newToken'), value: secret, onDone: () => setSecret(null) }}
			form={form}
			items={list.items}
			empty={t('tokens.none')}
			renderItem={(token) => (
				<li key={token.id} className="settings-item">
					<div>
						<strong>
							<bdi dir="auto">{token.name}</bdi>
						</strong>{' '}
						<code dir="ltr">{token.prefix}…</code>
						{token.bot && (
							<span className="settings-meta"> {t('tokens.bot', { name: token.bot.displayName })}</span>
						)}
						<p className="settings-meta">
							{token.scopes.map((s) => t(SCOPE_LABELS[s])).join(' · ')}
							{' — '}
							{token.lastUsedAt
								? t('tokens.lastUsed', { time: formatDateTime(lang, token.lastUsedAt) })
								: t('tokens.neverUsed')}
						</p>
					</div>
					<button
						type="button"
						className="button button-small button-danger"
						aria-label={t('tokens.revokeNamed', { name: token.name })}
						onClick={() => list.setRemoving(token)}
					>
						{t('tokens.revoke')}
					</button>
				</li>
			)}
			confirm={{
				open: list.removing !== null,
				message: t('tokens.revokeConfirm', { name: list.removing?.name ?? '' }),
				confirmLabel: t('tokens.revoke'),
				onConfirm: () => void list.confirmRemove(),
				onCancel: () => list.setRemoving(null),
			}}
		>
			<BotForm onCreated={(bot) => setBots((items) => [...items, bot])} />
		</SettingsListSection>
	);
}
