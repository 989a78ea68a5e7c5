import { UserSummarySchema } from '@majlis/protocol';
import { Type } from 'typebox';

/** One removal from a room. */
export const BanSchema = Type.Object({
	user: UserSummarySchema,
	/** Who removed them (null when that account is gone). */
	bannedBy: Type.Union([UserSummarySchema, Type.Null()]),
	bannedAt: Type.String({ format: 'date-time' }),
});

/** Reply of `GET /api/rooms/:id/bans`. */
export const BanListSchema = Type.Object({ items: Type.Array(BanSchema) });
