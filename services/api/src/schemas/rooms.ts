import { GuestSchema } from '@majlis/protocol';
import { Type } from 'typebox';

// The room bodies and their limits are the protocol's (the web's form checks the same ones).
export {
	CreateRoomBodySchema,
	ListRoomsQuerySchema,
	PAGE_SIZE,
	PutGuestBodySchema,
	RoomPageSchema,
	UpdateRoomBodySchema,
} from '@majlis/protocol';

/** Reply of `GET /api/rooms/:id/guests`. */
export const GuestListSchema = Type.Array(GuestSchema);
