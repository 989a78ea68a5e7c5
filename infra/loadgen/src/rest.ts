// The bots' REST calls to the API (bench, compose smoke): JSON in and out, a non-2xx answer throws with
// the route and the reply, so a failed setup says where.

/** Calls the API at `apiUrl`; JSON in and out, a non-2xx answer throws. */
export async function rest<T>(
	apiUrl: string,
	method: string,
	path: string,
	token?: string,
	body?: unknown
): Promise<T> {
	const r = await fetch(`${apiUrl}${path}`, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	if (!r.ok) {
		throw new Error(`${method} ${path} → ${r.status} ${text}`);
	}

	return (text ? JSON.parse(text) : undefined) as T;
}
