import { USER_LIMITS } from '@majlis/protocol';
import { Type } from 'typebox';

/** Body of `POST /api/me/password`. */
export const ChangePasswordBodySchema = Type.Object(
	{
		currentPassword: Type.String({ minLength: 1, maxLength: USER_LIMITS.password.max }),
		newPassword: Type.String({ minLength: USER_LIMITS.password.min, maxLength: USER_LIMITS.password.max }),
	},
	{ additionalProperties: false }
);
