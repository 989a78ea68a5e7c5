import { ApiErrorSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { ERROR_MESSAGE_KEYWORD } from '../validation.js';

// ajv-formats' `uuid` also accepts a `urn:uuid:` prefix, which Postgres refuses; a plain pattern is exact.
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A UUID in a request (path param or body); documented with `format: uuid`. */
export const UuidSchema = Type.String({
	format: 'uuid',
	pattern: UUID_PATTERN,
	[ERROR_MESSAGE_KEYWORD]: 'must be a UUID',
});

/** Path params of routes under `/rooms/:id`. */
export const RoomParamsSchema = Type.Object({ id: UuidSchema });

/** Path params of routes under `/rooms/:id/…/:userId`. */
export const RoomUserParamsSchema = Type.Object({ id: UuidSchema, userId: UuidSchema });

// Text schemas are the protocol's, so REST bodies defined there and here read the same.
export { lineSchema, textSchema } from '@majlis/protocol';

/** The error body of every non-2xx reply. */
export const ErrorResponseSchema = ApiErrorSchema;

/** Responses every authenticated route may give besides its success. */
export const CommonErrors = {
	400: ErrorResponseSchema,
	401: ErrorResponseSchema,
	403: ErrorResponseSchema,
	404: ErrorResponseSchema,
	409: ErrorResponseSchema,
} as const;

/** Reply of 204 routes. */
export const NoContentSchema = Type.Null({ description: 'No content' });
