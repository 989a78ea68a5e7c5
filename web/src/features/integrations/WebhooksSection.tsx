import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery, type WebhookEvent } from '@majlis/protocol';
import { type FormEvent, useState } from 'react';
import { InputField } from '../../components/InputField';
import { formatDateTime, useLangStore, useT } from '../../i18n';
import { ChoiceFieldset } from './ChoiceFieldset';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook } from './integrationsApi';
import { SettingsListSection } from './SettingsListSection';
import { useSettingsList } from './useSettingsList';

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
	const list = useSettingsList<Webhook>(listWebhooks, deleteWebhook);
	const { errors, setErrors } = list;
	const [url, setUrl] = useState('');
	const [events, setEvents] = useState<WebhookEvent[]>(['room.started']);
	const [secret, setSecret] = useState<string | null>(null);

	async function submit(event: FormEvent) {
		event.preventDefault();
		if (events.length === 0) {
			setErrors({ events: t('webhooks.eventsRequired') });

			return;
		}
		try {
			const created = await createWebhook({ url: url.trim(), events });
			list.setItems((items) => [...(items ?? []), created.webhook]);
			setSecret(created.secret);
			setUrl('');
			setErrors({});
		} catch (error) {
			list.showFailure(error);
		}
	}

	const form = (
		<form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
			<InputField
				label={t('webhooks.url')}
				hint={t('webhooks.urlHint')}
				error={errors.url ?? null}
				name="webhookUrl"
				type="url"
				dir="ltr"
				required
				value={url}
				onChange={setUrl}
			/>
			<ChoiceFieldset
				legend={t('webhooks.events')}
				choices={WEBHOOK_EVENTS}
				selected={events}
				onChange={setEvents}
				label={(name) => <span dir="ltr">{name}</span>}
				error={errors.events}
				errorId="webhook-events-error"
			/>
			<button type="submit" className="button button-primary">
				{t('webhooks.add')}
			</button>
		</form>
	);

	return (
		<SettingsListSection
			titleId="webhooks-title"
			title={t('webhooks.title')}
			lead={t('webhooks.lead')}
			failed={list.failed}
			secret={{ label: t('webhooks.secret'), value: secret, onDone: () => setSecret(null) }}
			form={form}
			items={list.items}
			empty={t('webhooks.none')}
			renderItem={(hook) => (
				<li key={hook.id} className="settings-item settings-item-block">
					<div className="settings-item-head">
						<code dir="ltr" className="webhook-url">
							{hook.url}
						</code>
						<button
							type="button"
							className="button button-small button-danger"
							aria-label={t('webhooks.deleteNamed', { url: hook.url })}
							onClick={() => list.setRemoving(hook)}
						>
							{t('webhooks.delete')}
						</button>
					</div>
					<p className="settings-meta" dir="ltr">
						{hook.events.join(' · ')}
					</p>
					<DeliveryLog webhook={hook} />
				</li>
			)}
			confirm={{
				open: list.removing !== null,
				message: t('webhooks.deleteConfirm', { url: list.removing?.url ?? '' }),
				confirmLabel: t('webhooks.delete'),
				onConfirm: () => void list.confirmRemove(),
				onCancel: () => list.setRemoving(null),
			}}
		/>
	);
}
