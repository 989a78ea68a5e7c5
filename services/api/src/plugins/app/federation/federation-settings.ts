/** How this deployment federates (ActivityPub); federation is off when the API gets none. */
export interface FederationSettings {
	/** The deployment's public URL (PUBLIC_URL): actor ids, links and the `@handle@domain` come from it. */
	publicUrl: string;
	/**
	 * Let Fedify fetch and deliver to private and loopback addresses (FEDERATION_ALLOW_PRIVATE=1). For
	 * development and tests only, like WEBHOOKS_ALLOW_PRIVATE: in production it lets anyone who can make
	 * this server look up an account make it call its own network.
	 */
	allowPrivate: boolean;
}

function flag(env: NodeJS.ProcessEnv, name: string, on: string[], off: string[]): boolean | undefined {
	const value = env[name];
	if (value === undefined || value === '') {
		return undefined;
	}
	if (on.includes(value)) {
		return true;
	}
	if (off.includes(value)) {
		return false;
	}
	throw new TypeError(`invalid environment: ${name} must be ${on[0]} or ${off[0]}`);
}

/**
 * The settings in `env` (FEDERATION=on, FEDERATION_ALLOW_PRIVATE, with `publicUrl` from PUBLIC_URL);
 * undefined when federation is off. Throws a TypeError naming a bad variable.
 */
export function federationSettingsFromEnv(
	env: NodeJS.ProcessEnv,
	publicUrl: string | undefined
): FederationSettings | undefined {
	const on = flag(env, 'FEDERATION', ['on', '1', 'true'], ['off', '0', 'false']) ?? false;
	const allowPrivate = flag(env, 'FEDERATION_ALLOW_PRIVATE', ['1', 'true'], ['0', 'false']) ?? false;
	if (!on) {
		return undefined;
	}
	if (!publicUrl) {
		throw new TypeError('invalid environment: FEDERATION=on needs PUBLIC_URL (the address people reach)');
	}

	return { publicUrl: publicUrl.replace(/\/$/, ''), allowPrivate };
}
