import type { ApiScope } from '@majlis/protocol';

/**
 * The scope an API token needs for each REST route, by operationId. A route that is not listed refuses API
 * tokens (403): creating tokens and bots, password changes, sessions, joining a room's audio, reports and
 * blocks need the person at a browser, so a leaked token cannot escalate or act as them there. The same
 * table feeds the OpenAPI description (`x-token-scope`), so the document cannot drift from the checks.
 */
export const TOKEN_SCOPES: Readonly<Record<string, ApiScope>> = {
	// read: anything a signed-in user can see.
	getMe: 'read',
	searchUsers: 'read',
	getUser: 'read',
	listRooms: 'read',
	getRoom: 'read',
	listGuests: 'read',
	listRecordings: 'read',
	getRoomRecording: 'read',
	getRecordingFile: 'read',
	getRoomAnalytics: 'read',
	listBots: 'read',
	getFederationSettings: 'read',
	listFediverseFollows: 'read',
	getFediverseFeed: 'read',
	// rooms:schedule: create, edit and cancel rooms.
	createRoom: 'rooms:schedule',
	updateRoom: 'rooms:schedule',
	deleteRoom: 'rooms:schedule',
	// rooms:manage: run rooms one hosts or co-hosts.
	startRoom: 'rooms:manage',
	endRoom: 'rooms:manage',
	addCohost: 'rooms:manage',
	removeCohost: 'rooms:manage',
	addModerator: 'rooms:manage',
	removeModerator: 'rooms:manage',
	putGuest: 'rooms:manage',
	removeGuest: 'rooms:manage',
	listBans: 'rooms:manage',
	unban: 'rooms:manage',
	banByHandle: 'rooms:manage',
	getModerationLog: 'rooms:manage',
	listRoomReports: 'rooms:manage',
	handOver: 'rooms:manage',
	setRoomRecording: 'rooms:manage',
	deleteRecording: 'rooms:manage',
	// webhooks: register endpoints and read their delivery log.
	listWebhooks: 'webhooks',
	createWebhook: 'webhooks',
	deleteWebhook: 'webhooks',
	testWebhook: 'webhooks',
	listWebhookDeliveries: 'webhooks',
};

/** The scope route `operationId` needs from an API token; undefined: API tokens are refused there. */
export function tokenScopeOf(operationId: unknown): ApiScope | undefined {
	return typeof operationId === 'string' && Object.hasOwn(TOKEN_SCOPES, operationId)
		? TOKEN_SCOPES[operationId]
		: undefined;
}
