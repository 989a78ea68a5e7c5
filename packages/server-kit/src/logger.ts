import { type Logger, pino } from 'pino';

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

/** The process's root pino logger (level from LOG_LEVEL, default info; `silent` in tests). */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
	return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export type { Logger };
