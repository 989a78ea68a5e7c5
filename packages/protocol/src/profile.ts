import { type Static, Type } from 'typebox';
import { IdSchema } from './domain.js';
import { lineSchema, textSchema, USER_LIMITS } from './rest.js';

/** Limits of a profile (issue 14): the bio's length, the avatar's upload size and stored size. */
export const PROFILE_LIMITS = {
	/** Bio length in characters. */
	bio: { max: 300 },
	/** Largest avatar upload in bytes. */
	avatarBytes: 5 * 1024 * 1024,
	/** Stored avatar edge in pixels (square). */
	avatarSize: 256,
	/** Image types an avatar upload may have. */
	avatarTypes: ['image/png', 'image/jpeg', 'image/webp'],
} as const;

/** A person's public profile: `GET /api/users/:handle`. */
export const ProfileSchema = Type.Object({
	id: IdSchema,
	handle: Type.String(),
	displayName: Type.String(),
	bio: Type.String(),
	/** Where the avatar image is (changes with each upload, so it can be cached for good); null without one. */
	avatarUrl: Type.Union([Type.String(), Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
	followers: Type.Integer({ minimum: 0 }),
	following: Type.Integer({ minimum: 0 }),
	/** Whether the caller follows this person; null when anonymous or their own profile. */
	followedByMe: Type.Union([Type.Boolean(), Type.Null()]),
});
/** A person's public profile. */
export type Profile = Static<typeof ProfileSchema>;

/** Body of `PATCH /api/me`: the fields to change. */
export const UpdateProfileBodySchema = Type.Object({
	displayName: Type.Optional(lineSchema(USER_LIMITS.displayName.min, USER_LIMITS.displayName.max)),
	bio: Type.Optional(textSchema(PROFILE_LIMITS.bio.max)),
});
/** Body of `PATCH /api/me`. */
export type UpdateProfileBody = Static<typeof UpdateProfileBodySchema>;

/** Body of `DELETE /api/me`: the password confirms the deletion. */
export const DeleteAccountBodySchema = Type.Object({
	password: Type.String({ minLength: 1, maxLength: USER_LIMITS.password.max }),
});
/** Body of `DELETE /api/me`. */
export type DeleteAccountBody = Static<typeof DeleteAccountBodySchema>;

/** The avatar URL of `handle` at `version`. */
export function avatarUrl(handle: string, version: string | null): string | null {
	return version === null ? null : `/api/users/${encodeURIComponent(handle)}/avatar?v=${version}`;
}
