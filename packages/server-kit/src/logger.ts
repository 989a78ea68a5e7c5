import { type DestinationStream, type Logger, pino } from 'pino';

/** Paths never written to logs. */
export const REDACT_PATHS = [
	'password',
	'*.password',
	'token',
	'*.token',
	'ticket',
	'*.ticket',
	'secret',
	'*.secret',
	'req.headers.authorization',
	'req.headers.cookie',
];

/** The process's root pino logger (level from LOG_LEVEL, default info); `destination` defaults to stdout. */
export function createLogger(
	name: string,
	level = process.env.LOG_LEVEL ?? 'info',
	destination?: DestinationStream
): Logger {
	const options = { name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };

	return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
