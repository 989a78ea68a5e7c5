import type { ApiError } from '@majlis/protocol';

const TOKEN_KEY = 'majlis.token';

/** A failed REST call: the API's `{error:{code,message,fields}}`, or `network` when no answer came. */
export class ApiRequestError extends Error {
	/** HTTP status (0 when the request never got an answer). */
	readonly status: number;
	/** The API's error code (an `ErrorCode` value), or `network`. */
	readonly code: string;
	/** Problems per form field, keyed by the field name the form uses. */
	readonly fields: Readonly<Record<string, string>>;
	/** On a 429: in how many seconds to try again (the body's `retryAfter`, else Retry-After). */
	readonly retryAfter: number | null;

	constructor(
		status: number,
		code: string,
		message: string,
		fields: Record<string, string> = {},
		retryAfter: number | null = null
	) {
		super(message);
		this.name = 'ApiRequestError';
		this.status = status;
		this.code = code;
		this.fields = fields;
		this.retryAfter = retryAfter;
	}
}

/** The stored Bearer token, if signed in. */
export function getToken(): string | null {
	try {
		return localStorage.getItem(TOKEN_KEY);
	} catch {
		return null;
	}
}

/** Stores (or with null, forgets) the Bearer token. */
export function setToken(token: string | null): void {
	try {
		if (token) {
			localStorage.setItem(TOKEN_KEY, token);
		} else {
			localStorage.removeItem(TOKEN_KEY);
		}
	} catch {
		// Private mode without storage: the session lasts until the tab closes.
	}
}

let onUnauthorized: (() => void) | undefined;

/** Registers what to do when the API rejects the stored token (sign the user out). */
export function setUnauthorizedHandler(handler: () => void): void {
	onUnauthorized = handler;
}

/**
 * Field paths arrive as the validator names them (`/handle`, `body/handle`, `body.handle`, `handle`);
 * forms key inputs by the last segment.
 */
export function normalizeFields(fields: Record<string, string> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [path, problem] of Object.entries(fields ?? {})) {
		const name = path.split(/[/.]/).filter(Boolean).pop() ?? path;
		out[name] ??= problem;
	}

	return out;
}

function isApiError(value: unknown): value is ApiError {
	const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;

	return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** Seconds to wait from a 429's body (`error.retryAfter`) or its Retry-After header (seconds form). */
export function retryAfterOf(body: unknown, header: string | null): number | null {
	const inBody = (body as { error?: { retryAfter?: unknown } } | null)?.error?.retryAfter;
	const seconds =
		typeof inBody === 'number'
			? inBody
			: header !== null && /^\d+$/.test(header.trim())
				? Number(header)
				: NaN;

	return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

/** Options of {@link api}. */
export interface ApiOptions {
	/** HTTP method; GET by default, POST when a body is given. */
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** JSON body. */
	body?: unknown;
	/** Aborts the request. */
	signal?: AbortSignal;
}

/** Calls the REST API with the stored token; resolves with the JSON body or throws {@link ApiRequestError}. */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	const token = getToken();
	if (token) {
		headers.authorization = `Bearer ${token}`;
	}
	if (options.body !== undefined) {
		headers['content-type'] = 'application/json';
	}
	let response: Response;
	try {
		response = await fetch(path, {
			method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: options.signal,
		});
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			throw error;
		}
		throw new ApiRequestError(0, 'network', (error as Error).message);
	}
	const text = await response.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	if (!response.ok) {
		if (response.status === 401 && token) {
			onUnauthorized?.();
		}
		const retryAfter = retryAfterOf(body, response.headers.get('retry-after'));
		if (isApiError(body)) {
			throw new ApiRequestError(
				response.status,
				body.error.code,
				body.error.message,
				normalizeFields(body.error.fields),
				retryAfter
			);
		}
		throw new ApiRequestError(
			response.status,
			response.status >= 500 ? 'internal' : 'bad_request',
			text,
			{},
			retryAfter
		);
	}

	return body as T;
}
