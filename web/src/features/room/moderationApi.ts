import type {
	BanByHandleBody,
	BlockList,
	CreateReportBody,
	ModerationLog,
	Report,
	UserSummary,
} from '@majlis/protocol';
import { api } from '../../api';

const enc = encodeURIComponent;

/** Bans someone by handle, present or not (`POST /api/rooms/:id/bans/by-handle`); the rooms they are banned from. */
export async function banByHandle(roomId: string, body: BanByHandleBody): Promise<string[]> {
	return (await api<{ roomIds: string[] }>(`/api/rooms/${enc(roomId)}/bans/by-handle`, { body })).roomIds;
}

/** The room's moderation log (`GET /api/rooms/:id/moderation-log`; staff), also once it ended. */
export function getModerationLog(roomId: string, signal?: AbortSignal): Promise<ModerationLog> {
	return api<ModerationLog>(`/api/rooms/${enc(roomId)}/moderation-log`, { signal });
}

/** The people the viewer blocked (`GET /api/me/blocks`). */
export async function listBlocks(signal?: AbortSignal): Promise<UserSummary[]> {
	return (await api<BlockList>('/api/me/blocks', { signal })).items;
}

/** Blocks (`on`) or unblocks someone (`PUT`/`DELETE /api/me/blocks/:userId`). */
export async function setBlocked(userId: string, on: boolean): Promise<void> {
	await api(`/api/me/blocks/${enc(userId)}`, { method: on ? 'PUT' : 'DELETE' });
}

/** Reports someone (or their chat message) with a reason (`POST /api/reports`). */
export async function report(body: CreateReportBody): Promise<Report> {
	return api<Report>('/api/reports', { body });
}

/** The room's open reports, its moderators' queue (`GET /api/rooms/:id/reports`; staff). */
export async function listRoomReports(roomId: string, signal?: AbortSignal): Promise<Report[]> {
	return (await api<{ items: Report[] }>(`/api/rooms/${enc(roomId)}/reports`, { signal })).items;
}

/** Every open report (`GET /api/admin/reports`; deployment admins only). */
export async function listAllReports(signal?: AbortSignal): Promise<Report[]> {
	return (await api<{ items: Report[] }>('/api/admin/reports', { signal })).items;
}

/** Dismisses a report, or suspends the reported account (`POST /api/admin/reports/:id/resolve`). */
export async function resolveReport(reportId: string, action: 'dismiss' | 'suspend'): Promise<void> {
	await api(`/api/admin/reports/${enc(reportId)}/resolve`, { body: { action } });
}
