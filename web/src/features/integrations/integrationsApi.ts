import type {
	ApiScope,
	ApiToken,
	CreatedApiToken,
	CreatedWebhook,
	UserSummary,
	Webhook,
	WebhookDelivery,
	WebhookEvent,
} from '@majlis/protocol';
import { api } from '../../api';

const enc = encodeURIComponent;

/** The caller's API tokens (`GET /api/me/tokens`). */
export async function listTokens(signal?: AbortSignal): Promise<ApiToken[]> {
	return (await api<{ items: ApiToken[] }>('/api/me/tokens', { signal })).items;
}

/** Creates a token; the reply holds its secret, shown once. */
export function createToken(body: {
	name: string;
	scopes: ApiScope[];
	botId?: string;
}): Promise<CreatedApiToken> {
	return api<CreatedApiToken>('/api/me/tokens', { body });
}

/** Revokes a token. */
export async function revokeToken(id: string): Promise<void> {
	await api(`/api/me/tokens/${enc(id)}`, { method: 'DELETE' });
}

/** The caller's bot accounts. */
export async function listBots(signal?: AbortSignal): Promise<UserSummary[]> {
	return (await api<{ items: UserSummary[] }>('/api/me/bots', { signal })).items;
}

/** Creates a bot account. */
export function createBot(body: { handle: string; displayName: string }): Promise<UserSummary> {
	return api<UserSummary>('/api/me/bots', { body });
}

/** The caller's webhook endpoints. */
export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
	return (await api<{ items: Webhook[] }>('/api/me/webhooks', { signal })).items;
}

/** Registers an endpoint; the reply holds its signing secret, shown once. */
export function createWebhook(body: { url: string; events: WebhookEvent[] }): Promise<CreatedWebhook> {
	return api<CreatedWebhook>('/api/me/webhooks', { body });
}

/** Deletes an endpoint. */
export async function deleteWebhook(id: string): Promise<void> {
	await api(`/api/me/webhooks/${enc(id)}`, { method: 'DELETE' });
}

/** Queues a test event to an endpoint. */
export async function testWebhook(id: string): Promise<void> {
	await api(`/api/me/webhooks/${enc(id)}/test`, { method: 'POST' });
}

/** The delivery log of an endpoint, newest first. */
export async function listDeliveries(id: string): Promise<WebhookDelivery[]> {
	return (await api<{ items: WebhookDelivery[] }>(`/api/me/webhooks/${enc(id)}/deliveries`)).items;
}
