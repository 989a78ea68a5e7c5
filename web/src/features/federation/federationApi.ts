import type { FederationSettings, FediverseFollow, FediversePost } from '@majlis/protocol';
import { api } from '../../api';

/** The caller's federation setting and fediverse address. */
export function getFederation(signal?: AbortSignal): Promise<FederationSettings> {
	return api<FederationSettings>('/api/me/federation', { signal });
}

/** Turns sharing to the fediverse on or off. */
export function setFederation(enabled: boolean): Promise<FederationSettings> {
	return api<FederationSettings>('/api/me/federation', { method: 'PUT', body: { enabled } });
}

/** The fediverse accounts the caller follows. */
export async function listFediverseFollows(signal?: AbortSignal): Promise<FediverseFollow[]> {
	return (await api<{ items: FediverseFollow[] }>('/api/me/federation/following', { signal })).items;
}

/** Follows a fediverse account by its address. */
export function followFediverse(address: string): Promise<FediverseFollow> {
	return api<FediverseFollow>('/api/me/federation/following', { body: { address } });
}

/** Stops following a fediverse account. */
export async function unfollowFediverse(id: string): Promise<void> {
	await api(`/api/me/federation/following/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Rooms the followed fediverse accounts announced. */
export async function getFediverseFeed(signal?: AbortSignal): Promise<FediversePost[]> {
	return (await api<{ items: FediversePost[] }>('/api/me/federation/feed', { signal })).items;
}
