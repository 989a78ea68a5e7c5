import {
	type ChatMessage,
	compile,
	type InternalChatHistory,
	InternalChatHistorySchema,
	type InternalModerationEntry,
	type ModerationEntry,
	ModerationLogSchema,
	type InternalRoom,
	InternalRoomSchema,
	type InternalRoomTally,
} from '@majlis/protocol';
import type { TokenService } from '@majlis/server-kit';
import { NotFoundError, RoomEndedError, UnavailableError } from './errors.js';

const roomChecker = compile(InternalRoomSchema);
const chatChecker = compile(InternalChatHistorySchema);
const moderationChecker = compile(ModerationLogSchema);
const REQUEST_TIMEOUT_MS = 5000;

// Internal paths and the API's replies stay in the log (the error's `cause`); clients only learn that
// the room service did not answer (security review, finding 11).
function unavailable(detail: string): UnavailableError {
	const error = new UnavailableError('the room service is unavailable; try again');
	error.cause = new Error(detail);

	return error;
}

/**
 * The SFU's side of the internal REST contract with the API (protocol internal.ts), authenticated with a
 * service token. The API stays the system of record: bans, endings and host changes are persisted there.
 */
export class ApiClient {
	readonly #baseUrl: string;
	readonly #tokens: TokenService;

	/** `baseUrl` is the API's base URL (http://host:port). */
	constructor(baseUrl: string, tokens: TokenService) {
		this.#baseUrl = baseUrl.replace(/\/$/, '');
		this.#tokens = tokens;
	}

	/** Settings, roles, guests and bans of a room; throws NotFoundError, RoomEndedError or UnavailableError. */
	async getRoom(roomId: string): Promise<InternalRoom> {
		const body = await this.#call('GET', `/api/internal/rooms/${encodeURIComponent(roomId)}`);
		if (!roomChecker.check(body)) {
			throw new UnavailableError(`API sent an unexpected room: ${roomChecker.explain(body)}`);
		}
		if (body.state === 'ended') {
			throw new RoomEndedError('the room has ended');
		}

		return body;
	}

	/** Persists that `userId` was removed from the room by `by`. */
	async ban(roomId: string, userId: string, by: string): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/bans`, { userId, by });
	}

	/** Marks the room ended (`by` null: nobody was left to host it). */
	async end(roomId: string, by: string | null): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/end`, { by });
	}

	/** Records that `userId` took over as host. */
	async setHost(roomId: string, userId: string): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/host`, { userId });
	}

	/** Reports what the room's origin node counted, once the room ended (host analytics). */
	async reportTally(roomId: string, tally: InternalRoomTally): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/analytics`, tally);
	}

	/** A room's chat mode and its last messages (Postgres), oldest first. */
	async chatHistory(roomId: string): Promise<InternalChatHistory> {
		const body = await this.#call('GET', `/api/internal/rooms/${encodeURIComponent(roomId)}/chat`);
		if (!chatChecker.check(body)) {
			throw new UnavailableError(`API sent an unexpected chat: ${chatChecker.explain(body)}`);
		}

		return body;
	}

	/** Stores a chat message. */
	async saveChatMessage(
		roomId: string,
		message: Pick<ChatMessage, 'id' | 'text' | 'at'> & { userId: string }
	): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/chat`, message);
	}

	/** Marks a chat message deleted by `by`. */
	async deleteChatMessage(roomId: string, messageId: string, by: string): Promise<void> {
		const path = `/api/internal/rooms/${encodeURIComponent(roomId)}/chat/${encodeURIComponent(messageId)}/delete`;
		await this.#call('POST', path, { by });
	}

	/** A room's moderation log so far, oldest first. */
	async moderationLog(roomId: string): Promise<ModerationEntry[]> {
		const body = await this.#call('GET', `/api/internal/rooms/${encodeURIComponent(roomId)}/moderation`);
		if (!moderationChecker.check(body)) {
			throw new UnavailableError(`API sent an unexpected log: ${moderationChecker.explain(body)}`);
		}

		return body.entries;
	}

	/** Keeps one moderation act. */
	async recordModeration(roomId: string, entry: InternalModerationEntry): Promise<void> {
		await this.#call('POST', `/api/internal/rooms/${encodeURIComponent(roomId)}/moderation`, entry);
	}

	async #call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
		const token = await this.#tokens.signServiceToken('sfu');
		let response: Response;
		try {
			response = await fetch(`${this.#baseUrl}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${token}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
			});
		} catch (error) {
			throw unavailable(`API unreachable: ${(error as Error).message}`);
		}
		const text = await response.text();
		if (response.status === 404) {
			throw new NotFoundError('room not found');
		}
		if (!response.ok) {
			throw unavailable(`API answered ${method} ${path} with ${response.status}: ${text.slice(0, 200)}`);
		}

		return text === '' ? undefined : JSON.parse(text);
	}
}
