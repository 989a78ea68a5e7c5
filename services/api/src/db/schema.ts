import type { JsonWebKey } from 'node:crypto';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A timestamp column: read as Date, written as Date (or omitted when it has a default). */
type Timestamp = ColumnType<Date, Date | undefined, Date>;

/** `users`: accounts. `lower(handle)` is unique. */
export interface UsersTable {
	id: Generated<string>;
	handle: string;
	display_name: string;
	password_hash: string;
	created_at: Timestamp;
	/** Set when a deployment admin suspended the account (migration 0008). */
	suspended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
	/** The user who owns this bot account; null for people (migration 0011). */
	bot_owner_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** The profile's about text (migration 0010). */
	bio: ColumnType<string, string | undefined, string>;
	/** The avatar's version, a content hash; null without one (migration 0010). */
	avatar: ColumnType<string | null, string | null | undefined, string | null>;
	/** Set when the account was deleted; the row stays, emptied (migration 0010). */
	deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** `rooms`: one row per room, whatever its state. */
export interface RoomsTable {
	id: Generated<string>;
	host_id: string;
	title: string;
	description: string;
	topics: string[];
	scheduled_for: Date | null;
	visibility: 'public' | 'unlisted' | 'private';
	speak_requests: 'everyone' | 'invited' | 'off';
	max_speakers: number;
	/** Who may write in the chat (migration 0005). */
	chat: ColumnType<'off' | 'everyone' | 'stage', 'off' | 'everyone' | 'stage' | undefined>;
	state: 'scheduled' | 'live' | 'ended';
	started_at: Date | null;
	ended_at: Date | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	/** The room's language, a lower-case ISO 639 code (migration 0010). */
	language: ColumnType<string | null, string | null | undefined, string | null>;
	/** Title, description, topics and host names folded for search; written by the app (migration 0010). */
	search_text: ColumnType<string, string | undefined, string>;
	/** Raised on each reschedule, for calendars' SEQUENCE (migration 0015). */
	calendar_sequence: ColumnType<number, number | undefined, number>;
	/** The series this room is an occurrence of, and which one (1-based) (migration 0015). */
	series_id: ColumnType<string | null, string | null | undefined, string | null>;
	series_index: ColumnType<number | null, number | null | undefined, number | null>;
}

/** `room_roles`: co-host and moderator appointments (one per user and room). */
export interface RoomRolesTable {
	room_id: string;
	user_id: string;
	role: 'cohost' | 'moderator';
	appointed_by: string | null;
	appointed_at: Timestamp;
}

/** `room_guests`: the guest list. */
export interface RoomGuestsTable {
	room_id: string;
	user_id: string;
	kind: 'speaker' | 'listener';
	added_by: string | null;
	added_at: Timestamp;
}

/** `room_bans`: users removed from a room; they may not join it again. */
export interface RoomBansTable {
	room_id: string;
	user_id: string;
	banned_by: string | null;
	banned_at: Timestamp;
}

/** `chat_messages`: the chat of a room; a deleted message keeps its row. */
export interface ChatMessagesTable {
	id: string;
	room_id: string;
	user_id: string;
	body: string;
	sent_at: Date;
	deleted_at: Date | null;
	deleted_by: string | null;
}

/** `moderation_log`: every moderation act in a room, kept with the ended room (migration 0008). */
export interface ModerationLogTable {
	id: string;
	room_id: string;
	action: string;
	actor_id: string | null;
	target_id: string | null;
	reason: string | null;
	detail: string | null;
	at: Date;
}

/** `user_blocks`: `blocker_id` blocked `blocked_id`. */
export interface UserBlocksTable {
	blocker_id: string;
	blocked_id: string;
	created_at: Timestamp;
}

/** `reports`: a person (or their chat message) reported to moderators and admins. */
export interface ReportsTable {
	id: Generated<string>;
	room_id: string | null;
	reporter_id: string;
	target_id: string;
	message_id: string | null;
	reason: string;
	status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined>;
	resolution: string | null;
	resolved_by: string | null;
	created_at: Timestamp;
	resolved_at: Date | null;
}

/** `sessions`: one per signed-in device; a user token is valid only while its row exists. */
export interface SessionsTable {
	id: Generated<string>;
	user_id: string;
	created_at: Timestamp;
	expires_at: Date;
}

// Integrations (migration 0011).
/** `api_tokens`: personal API tokens, by the SHA-256 of their secret. */
export interface ApiTokensTable {
	id: Generated<string>;
	user_id: string;
	owner_id: string;
	name: string;
	token_hash: string;
	prefix: string;
	scopes: string[];
	created_at: Timestamp;
	last_used_at: Date | null;
}

/** `webhooks`: endpoints events are delivered to. */
export interface WebhooksTable {
	id: Generated<string>;
	owner_id: string;
	url: string;
	secret: string;
	events: string[];
	scope: ColumnType<'own' | 'all', 'own' | 'all' | undefined>;
	created_at: Timestamp;
}

/** `webhook_deliveries`: the delivery queue and log. */
export interface WebhookDeliveriesTable {
	id: Generated<string>;
	webhook_id: string;
	event: string;
	payload: string;
	state: ColumnType<'pending' | 'delivered' | 'failed', 'pending' | undefined>;
	attempts: ColumnType<number, number | undefined>;
	next_attempt_at: Date | null;
	last_status: number | null;
	last_response_ms: number | null;
	last_error: string | null;
	created_at: Timestamp;
	delivered_at: Date | null;
}

/** `follows`: `follower_id` follows `followee_id` (migration 0010). */
export interface FollowsTable {
	follower_id: string;
	followee_id: string;
	created_at: Timestamp;
}

// Reach: reminders, notifications, Web Push, calendars (migration 0015).

/** `room_reminders`: who asked to be reminded when a scheduled room starts. */
export interface RoomRemindersTable {
	room_id: string;
	user_id: string;
	created_at: Timestamp;
}

/** The kinds of notification (stored as text). */
export type NotificationKindColumn =
	| 'reminder'
	| 'followScheduled'
	| 'followLive'
	| 'cohost'
	| 'moderator'
	| 'guest'
	| 'replay';

/** `notifications`: the notification centre's items. */
export interface NotificationsTable {
	id: Generated<string>;
	user_id: string;
	kind: NotificationKindColumn;
	room_id: string | null;
	actor_id: string | null;
	created_at: Timestamp;
	read_at: Date | null;
}

/** `notification_preferences`: a user's choice per kind (no row: the default, both on). */
export interface NotificationPreferencesTable {
	user_id: string;
	kind: NotificationKindColumn;
	in_app: boolean;
	push: boolean;
}

/** `push_subscriptions`: a browser's Web Push subscription (RFC 8030 endpoint and RFC 8291 keys). */
export interface PushSubscriptionsTable {
	id: Generated<string>;
	user_id: string;
	endpoint: string;
	p256dh: string;
	auth: string;
	created_at: Timestamp;
}

/** `calendar_feeds`: the secret of a user's personal calendar feed URL (revoked by replacing it). */
export interface CalendarFeedsTable {
	user_id: string;
	secret: string;
	created_at: Timestamp;
}

/** `cancelled_rooms`: what calendars need of a cancelled (deleted) scheduled room. */
export interface CancelledRoomsTable {
	room_id: string;
	host_id: string;
	title: string;
	description: string;
	scheduled_for: Date | null;
	calendar_sequence: number;
	reminded_ids: string[];
	cancelled_at: Date;
}

/** `room_series`: a room that repeats; each occurrence is a `rooms` row with `series_id`. */
export interface RoomSeriesTable {
	id: Generated<string>;
	host_id: string;
	every_days: number;
	until: Date | null;
	max_count: number | null;
	created_at: Timestamp;
}

/** `federation_kv`: Fedify's key–value store (migration 0016). */
export interface FederationKvTable {
	key: string[];
	value: unknown;
	expires_at: Date | null;
}

/** `federation_queue`: Fedify's outgoing work (deliveries, fan-outs), claimed with a lease (migration 0017). */
export interface FederationQueueTable {
	id: Generated<string>;
	message: unknown;
	ordering_key: string | null;
	due_at: ColumnType<Date, Date | undefined, Date>;
	lease_until: Date | null;
	attempts: Generated<number>;
	created_at: Generated<Date>;
}

/** `federation_actors`: a user's fediverse actor: whether sharing is on, and its key pairs (JWKs). */
export interface FederationActorsTable {
	user_id: string;
	enabled: boolean;
	keys: ColumnType<StoredKeyPair[], string, string>;
	created_at: Timestamp;
}

/** One stored key pair of an actor, as JWKs. */
export interface StoredKeyPair {
	privateKey: JsonWebKey;
	publicKey: JsonWebKey;
}

/** `federation_followers`: fediverse accounts following a local user. */
export interface FederationFollowersTable {
	user_id: string;
	actor_iri: string;
	inbox: string;
	shared_inbox: string | null;
	created_at: Timestamp;
}

/** `federation_following`: fediverse accounts a local user follows (accepted once `accepted_at` is set). */
export interface FederationFollowingTable {
	id: Generated<string>;
	user_id: string;
	actor_iri: string;
	address: string;
	name: string;
	inbox: string;
	follow_iri: string;
	accepted_at: Date | null;
	created_at: Timestamp;
}

/** `federation_posts`: rooms (notes and events) that followed fediverse accounts sent us. */
export interface FederationPostsTable {
	object_iri: string;
	actor_iri: string;
	kind: 'note' | 'event';
	name: string;
	content: string;
	url: string | null;
	starts_at: Date | null;
	ends_at: Date | null;
	received_at: Timestamp;
	updated_at: Timestamp;
}

/** The database as kysely sees it. */
export interface DB {
	sessions: SessionsTable;
	users: UsersTable;
	rooms: RoomsTable;
	room_roles: RoomRolesTable;
	room_guests: RoomGuestsTable;
	room_bans: RoomBansTable;
	chat_messages: ChatMessagesTable;
	moderation_log: ModerationLogTable;
	user_blocks: UserBlocksTable;
	reports: ReportsTable;
	api_tokens: ApiTokensTable;
	webhooks: WebhooksTable;
	webhook_deliveries: WebhookDeliveriesTable;
	follows: FollowsTable;
	// Reach: reminders, notifications, Web Push, calendars (migration 0015).
	room_reminders: RoomRemindersTable;
	notifications: NotificationsTable;
	notification_preferences: NotificationPreferencesTable;
	push_subscriptions: PushSubscriptionsTable;
	calendar_feeds: CalendarFeedsTable;
	cancelled_rooms: CancelledRoomsTable;
	room_series: RoomSeriesTable;
	// Federation (migration 0016).
	federation_kv: FederationKvTable;
	federation_queue: FederationQueueTable;
	federation_actors: FederationActorsTable;
	federation_followers: FederationFollowersTable;
	federation_following: FederationFollowingTable;
	federation_posts: FederationPostsTable;
}

/** A `users` row. */
export type UserRow = Selectable<UsersTable>;
/** A `rooms` row. */
export type RoomRow = Selectable<RoomsTable>;
/** Values for a new `rooms` row. */
export type NewRoom = Insertable<RoomsTable>;
