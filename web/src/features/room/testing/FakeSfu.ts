import type {
	JoinResponse,
	NotificationData,
	NotificationType,
	RequestType,
	SelfState,
	Snapshot,
	WireError,
} from '@majlis/protocol';
import type { ClientSocket } from '../lib/ClientSocket';
import { createSocketPair, type ServerEnd } from './MemorySocket';

/** Ids used by the fake room. */
export const FAKE_IDS = {
	room: '00000000-0000-4000-8000-0000000000a1',
	self: '00000000-0000-4000-8000-0000000000b1',
	host: '00000000-0000-4000-8000-0000000000b2',
} as const;

/** A snapshot of the fake room at `seq`, with `self` changed by `self`. */
export function fakeSnapshot(seq: number, self: Partial<SelfState> = {}): Snapshot {
	return {
		room: { id: FAKE_IDS.room, title: 'Majlis', speakRequests: 'everyone', maxSpeakers: 10 },
		self: {
			userId: FAKE_IDS.self,
			role: 'listener',
			onStage: false,
			muted: true,
			handRaised: false,
			invited: false,
			...self,
		},
		stage: [],
		listenerCount: 1,
		hostAwayUntil: null,
		seq,
	};
}

/** What the fake answers a request with: reply data, or a refusal. */
export type FakeAnswer = { data?: unknown } | { error: WireError };

/**
 * The SFU and the API's ticket endpoint as a room client sees them, in memory: each `openSocket` is a
 * new {@link createSocketPair}, `session:join` is answered with {@link snapshot}, other requests with
 * `{}` unless {@link answers} says otherwise, and notifications carry the socket's next `seq`.
 */
export class FakeSfu {
	/** Server ends of every socket opened, oldest first. */
	readonly sockets: ServerEnd[] = [];
	/** Ticket requests so far. */
	tickets = 0;
	/** Errors the next ticket requests fail with, one per request. */
	readonly ticketFailures: Error[] = [];
	/** The snapshot the next `session:join` is answered with. */
	snapshot: Snapshot = fakeSnapshot(0);
	/** Answers by request type (default `{}`). */
	readonly answers: Partial<Record<RequestType, FakeAnswer>> = {};
	/** Whether to hold `session:join` replies until {@link answerJoin}. */
	holdJoin = false;
	readonly #seq = new Map<ServerEnd, number>();
	#heldJoin: { socket: ServerEnd; id: number } | null = null;

	/** The ticket endpoint (`RoomClientOptions.join`). */
	readonly join = async (roomId: string): Promise<JoinResponse> => {
		this.tickets++;
		const failure = this.ticketFailures.shift();
		if (failure) {
			throw failure;
		}

		return { signallingUrl: `memory://sfu/${roomId}`, ticket: `ticket-${this.tickets}`, role: 'listener' };
	};

	/** The socket opener (`RoomClientOptions.openSocket`). */
	readonly openSocket = async (_url: string): Promise<ClientSocket> => {
		const { client, server } = createSocketPair();
		this.sockets.push(server);
		server.onframe = (frame) => this.#onFrame(server, frame);

		return client;
	};

	/** The socket opened last. */
	get current(): ServerEnd {
		const socket = this.sockets.at(-1);
		if (!socket) {
			throw new Error('no socket opened yet');
		}

		return socket;
	}

	/** Request types the client sent on `socket` (default: the current one), in order. */
	requests(socket: ServerEnd = this.current): string[] {
		return socket.received.map((f) => f.type);
	}

	#onFrame(socket: ServerEnd, frame: { id: number; type: string; data: unknown }): void {
		if (frame.type === 'session:join') {
			if (this.holdJoin) {
				this.#heldJoin = { socket, id: frame.id };
			} else {
				this.#answerJoin(socket, frame.id);
			}

			return;
		}
		const answer = this.answers[frame.type as RequestType] ?? {};
		socket.send(
			'error' in answer
				? { id: frame.id, ok: false, error: answer.error }
				: { id: frame.id, ok: true, data: answer.data ?? {} }
		);
	}

	#answerJoin(socket: ServerEnd, id: number): void {
		this.#seq.set(socket, Math.max(this.snapshot.seq, this.#seq.get(socket) ?? 0));
		socket.send({ id, ok: true, data: { routerRtpCapabilities: {}, snapshot: this.snapshot } });
	}

	/** Sends the held `session:join` reply. */
	answerJoin(): void {
		const held = this.#heldJoin;
		if (!held) {
			throw new Error('no session:join is held');
		}
		this.#heldJoin = null;
		this.#answerJoin(held.socket, held.id);
	}

	/** Sends a notification on the current socket with the next `seq`, or with `seq` when given. */
	notify<T extends NotificationType>(type: T, data: NotificationData<T>, seq?: number): void {
		const socket = this.current;
		const next = seq ?? (this.#seq.get(socket) ?? 0) + 1;
		this.#seq.set(socket, Math.max(next, this.#seq.get(socket) ?? 0));
		socket.send({ type, seq: next, data });
	}
}
