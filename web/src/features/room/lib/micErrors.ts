/** Why the microphone could not start, as the UI explains it. */
export const MicError = {
	PermissionDenied: 'PermissionDenied',
	NotFound: 'NotFound',
	DeviceInUse: 'DeviceInUse',
	Other: 'Other',
} as const;
/** One of {@link MicError}'s values. */
export type MicError = (typeof MicError)[keyof typeof MicError];

/** Maps a `getUserMedia` rejection (names differ across browsers and versions) to a {@link MicError}. */
export function mapGetUserMediaError(error: unknown): MicError {
	const name = (error as { name?: unknown } | null)?.name;
	switch (name) {
		case 'NotAllowedError':
		case 'PermissionDeniedError':
		case 'SecurityError': {
			return MicError.PermissionDenied;
		}
		case 'NotFoundError':
		case 'DevicesNotFoundError':
		case 'OverconstrainedError':
		case 'ConstraintNotSatisfiedError': {
			return MicError.NotFound;
		}
		// Chrome reports a busy device as NotReadableError (older: TrackStartError); Firefox as AbortError.
		case 'NotReadableError':
		case 'TrackStartError':
		case 'AbortError': {
			return MicError.DeviceInUse;
		}
		default: {
			return MicError.Other;
		}
	}
}
