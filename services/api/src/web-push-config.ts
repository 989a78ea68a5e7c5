import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import webpush from 'web-push';

/** The VAPID identity Web Push messages are signed with (RFC 8292), and who may be pushed to. */
export interface WebPushConfig {
	/** Application server public key (uncompressed P-256 point, base64url): browsers subscribe with it. */
	publicKey: string;
	/** Its private key (base64url). */
	privateKey: string;
	/** Contact the push services may use: `mailto:` or `https:` URL. */
	subject: string;
	/**
	 * Whether push endpoints on loopback addresses are allowed (PUSH_ALLOW_LOOPBACK=1): only for tests and
	 * development, where the push service is a local process. Private and link-local addresses are
	 * refused either way, so a subscription cannot make the server call into its own network.
	 */
	allowLoopback: boolean;
}

const DEFAULT_SUBJECT = 'mailto:admin@majlis.invalid';

/**
 * Web Push settings from the environment: VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (together) and
 * VAPID_SUBJECT; without keys, a `dataDir` (the embedded mode) gets a pair generated once into
 * `vapid.json`; otherwise Web Push is off (undefined).
 */
export async function loadWebPushConfig(
	raw: NodeJS.ProcessEnv,
	dataDir?: string
): Promise<WebPushConfig | undefined> {
	const publicKey = raw.VAPID_PUBLIC_KEY || undefined;
	const privateKey = raw.VAPID_PRIVATE_KEY || undefined;
	const subject = raw.VAPID_SUBJECT || DEFAULT_SUBJECT;
	const allowLoopback = raw.PUSH_ALLOW_LOOPBACK === '1' || raw.PUSH_ALLOW_LOOPBACK === 'true';
	if (!/^(mailto:|https:\/\/)/.test(subject)) {
		throw new TypeError('invalid environment: VAPID_SUBJECT must be a mailto: or https:// URL');
	}
	if ((publicKey === undefined) !== (privateKey === undefined)) {
		throw new TypeError('invalid environment: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together');
	}
	if (publicKey && privateKey) {
		try {
			webpush.setVapidDetails(subject, publicKey, privateKey);
		} catch (error) {
			throw new TypeError(`invalid environment: VAPID keys: ${(error as Error).message}`);
		}

		return { publicKey, privateKey, subject, allowLoopback };
	}
	if (dataDir === undefined) {
		return undefined;
	}
	const file = join(dataDir, 'vapid.json');
	let keys: { publicKey: string; privateKey: string };
	try {
		keys = JSON.parse(await readFile(file, 'utf8')) as typeof keys;
	} catch {
		keys = webpush.generateVAPIDKeys();
		await mkdir(dataDir, { recursive: true });
		await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
	}

	return { ...keys, subject, allowLoopback };
}
