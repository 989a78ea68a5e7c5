import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery, type WebhookEvent } from '@majlis/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { formatDateTime, useLangStore, useT } from '../../i18n';
import { fieldMessages } from './fieldMessages';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook } from './integrationsApi';
import { SecretOnce } from './SecretOnce';

/** The delivery log of one endpoint, refreshed on demand. */
function DeliveryLog({ webhook }: { webhook: Webhook }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [items, setItems] = useState<WebhookDelivery[] | null>(null);

	async function refresh() {
		setItems(await listDeliveries(webhook.id).catch(() => []));
	}

	return (
		<div className="delivery-log">
			<p className="form-actions">
				<button
					type="button"
					className="button button-small"
					onClick={() => void testWebhook(webhook.id).then(() => setTimeout(() => void refresh(), 1000))}
				>
					{t('webhooks.test')}
				</button>
				<button type="button" className="button button-small button-quiet" onClick={() => void refresh()}>
					{t('webhooks.showLog')}
				</button>
			</p>
			{items?.length === 0 && <p className="empty">{t('webhooks.noDeliveries')}</p>}
			{items && items.length > 0 && (
				<table className="delivery-table">
					<caption className="sr-only">{t('webhooks.logFor', { url: webhook.url })}</caption>
					<thead>
						<tr>
							<th scope="col">{t('webhooks.event')}</th>
							<th scope="col">{t('webhooks.state')}</th>
							<th scope="col">{t('webhooks.status')}</th>
							<th scope="col">{t('webhooks.time')}</th>
						</tr>
					</thead>
					<tbody>
						{items.map((d) => (
							<tr key={d.id}>
								<td dir="ltr">{d.event}</td>
								<td>
									{t(`webhooks.state.${d.state}`)} ({t('webhooks.attempts', { count: d.attempts })})
								</td>
								<td dir="ltr">
									{d.lastStatus ?? '—'}
									{d.lastResponseMs !== null && ` · ${d.lastResponseMs} ms`}
								</td>
								<td>{formatDateTime(lang, d.createdAt)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</div>
	);
}

/** Account settings → Webhooks: register an https endpoint for chosen events, see its secret once, test it, read its log. */
export function WebhooksSection() {
	const t = useT();
	const [hooks, setHooks] = useState<Webhook[] | null>(null);
	const [url, setUrl] = useState('');
	const [events, setEvents] = useState<WebhookEvent[]>(['room.started']);
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [failed, setFailed] = useState(false);
	const [secret, setSecret] = useState<string | null>(null);
	const [deleting, setDeleting] = useState<Webhook | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		listWebhooks(controller.signal).then(setHooks, (e: Error) => e.name !== 'AbortError' && setFailed(true));

		return () => controller.abort();
	}, []);

	async function submit(event: FormEvent) {
		event.preventDefault();
		if (events.length === 0) {
			setErrors({ events: t('webhooks.eventsRequired') });

			return;
		}
		try {
			const created = await createWebhook({ url: url.trim(), events });
			setHooks((list) => [...(list ?? []), created.webhook]);
			setSecret(created.secret);
			setUrl('');
			setErrors({});
		} catch (error) {
			const fields = fieldMessages(error, t);
			if (fields) {
				setErrors(fields);
			} else {
				setFailed(true);
			}
		}
	}

	async function remove(hook: Webhook) {
		setDeleting(null);
		try {
			await deleteWebhook(hook.id);
			setHooks((list) => list?.filter((x) => x.id !== hook.id) ?? null);
		} catch {
			setFailed(true);
		}
	}

	return (
		<section className="settings-section card" aria-labelledby="webhooks-title">
			<h2 id="webhooks-title">{t('webhooks.title')}</h2>
			<p className="field-hint">{t('webhooks.lead')}</p>
			{failed && (
				<p className="form-error" role="alert">
					{t('error.generic')}
				</p>
			)}
			{secret && <SecretOnce label={t('webhooks.secret')} value={secret} onDone={() => setSecret(null)} />}
			<form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
				<Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={errors.url ?? null}>
					{(props) => (
						<input
							{...props}
							name="webhookUrl"
							type="url"
							dir="ltr"
							required
							value={url}
							onChange={(e) => setUrl(e.target.value)}
						/>
					)}
				</Field>
				<fieldset className="checks" aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
					<legend className="field-label">{t('webhooks.events')}</legend>
					{WEBHOOK_EVENTS.map((name) => (
						<label key={name} className="check">
							<input
								type="checkbox"
								checked={events.includes(name)}
								onChange={(e) =>
									setEvents((list) => (e.target.checked ? [...list, name] : list.filter((x) => x !== name)))
								}
							/>{' '}
							<span dir="ltr">{name}</span>
						</label>
					))}
					{errors.events && (
						<p id="webhook-events-error" className="field-error">
							{errors.events}
						</p>
					)}
				</fieldset>
				<button type="submit" className="button button-primary">
					{t('webhooks.add')}
				</button>
			</form>
			{hooks?.length === 0 && <p className="empty">{t('webhooks.none')}</p>}
			{hooks && hooks.length > 0 && (
				<ul className="settings-list">
					{hooks.map((hook) => (
						<li key={hook.id} className="settings-item settings-item-block">
							<div className="settings-item-head">
								<code dir="ltr" className="webhook-url">
									{hook.url}
								</code>
								<button
									type="button"
									className="button button-small button-danger"
									aria-label={t('webhooks.deleteNamed', { url: hook.url })}
									onClick={() => setDeleting(hook)}
								>
									{t('webhooks.delete')}
								</button>
							</div>
							<p className="settings-meta" dir="ltr">
								{hook.events.join(' · ')}
							</p>
							<DeliveryLog webhook={hook} />
						</li>
					))}
				</ul>
			)}
			<ConfirmDialog
				open={deleting !== null}
				message={t('webhooks.deleteConfirm', { url: deleting?.url ?? '' })}
				confirmLabel={t('webhooks.delete')}
				onConfirm={() => deleting && void remove(deleting)}
				onCancel={() => setDeleting(null)}
			/>
		</section>
	);
}
