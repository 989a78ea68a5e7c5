import {
	API_SCOPES,
	type ApiScope,
	type ApiToken,
	INTEGRATION_LIMITS,
	type UserSummary,
} from '@majlis/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import { BotForm } from './BotForm';
import { fieldMessages } from './fieldMessages';
import { createToken, listBots, listTokens, revokeToken } from './integrationsApi';
import { SecretOnce } from './SecretOnce';

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
	const [tokens, setTokens] = useState<ApiToken[] | null>(null);
	const [bots, setBots] = useState<UserSummary[]>([]);
	const [name, setName] = useState('');
	const [scopes, setScopes] = useState<ApiScope[]>(['read']);
	const [botId, setBotId] = useState('');
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [failed, setFailed] = useState(false);
	const [secret, setSecret] = useState<string | null>(null);
	const [revoking, setRevoking] = useState<ApiToken | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		Promise.all([listTokens(controller.signal), listBots(controller.signal)]).then(
			([list, botList]) => {
				setTokens(list);
				setBots(botList);
			},
			(e: Error) => e.name !== 'AbortError' && setFailed(true)
		);

		return () => controller.abort();
	}, []);

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
			setTokens((list) => [created.apiToken, ...(list ?? [])]);
			setSecret(created.token);
			setName('');
			setFailed(false);
		} catch (error) {
			const fields = fieldMessages(error, t);
			if (fields) {
				setErrors(fields);
			} else {
				setFailed(true);
			}
		}
	}

	async function revoke(token: ApiToken) {
		setRevoking(null);
		try {
			await revokeToken(token.id);
			setTokens((list) => list?.filter((x) => x.id !== token.id) ?? null);
		} catch {
			setFailed(true);
		}
	}

	return (
		<section className="settings-section card" aria-labelledby="tokens-title">
			<h2 id="tokens-title">{t('tokens.title')}</h2>
			<p className="field-hint">{t('tokens.lead')}</p>
			{failed && (
				<p className="form-error" role="alert">
					{t('error.generic')}
				</p>
			)}
			{secret && <SecretOnce label={t('tokens.newToken')} value={secret} onDone={() => setSecret(null)} />}
			<form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
				<Field
					label={t('tokens.name')}
					error={errors.name ?? null}
					counter={{ length: name.trim().length, max: INTEGRATION_LIMITS.tokenName.max }}
				>
					{(props) => (
						<input {...props} name="tokenName" value={name} onChange={(e) => setName(e.target.value)} />
					)}
				</Field>
				<fieldset className="checks" aria-describedby={errors.scopes ? 'token-scopes-error' : undefined}>
					<legend className="field-label">{t('tokens.scopes')}</legend>
					{API_SCOPES.map((scope) => (
						<label key={scope} className="check">
							<input
								type="checkbox"
								checked={scopes.includes(scope)}
								onChange={(e) =>
									setScopes((list) => (e.target.checked ? [...list, scope] : list.filter((s) => s !== scope)))
								}
							/>{' '}
							{t(SCOPE_LABELS[scope])}
						</label>
					))}
					{errors.scopes && (
						<p id="token-scopes-error" className="field-error">
							{errors.scopes}
						</p>
					)}
				</fieldset>
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
			{tokens?.length === 0 && <p className="empty">{t('tokens.none')}</p>}
			{tokens && tokens.length > 0 && (
				<ul className="settings-list">
					{tokens.map((token) => (
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
								onClick={() => setRevoking(token)}
							>
								{t('tokens.revoke')}
							</button>
						</li>
					))}
				</ul>
			)}
			<BotForm onCreated={(bot) => setBots((list) => [...list, bot])} />
			<ConfirmDialog
				open={revoking !== null}
				message={t('tokens.revokeConfirm', { name: revoking?.name ?? '' })}
				confirmLabel={t('tokens.revoke')}
				onConfirm={() => revoking && void revoke(revoking)}
				onCancel={() => setRevoking(null)}
			/>
		</section>
	);
}
