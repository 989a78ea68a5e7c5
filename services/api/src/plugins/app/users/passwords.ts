import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
	interface FastifyInstance {
		/** Password hashing (argon2id). */
		passwords: Passwords;
	}
}

/** Hashes and checks passwords with argon2id (@node-rs/argon2 defaults: 19 MiB, 2 passes). */
export function createPasswords() {
	// Started at once so the first unknown-handle login is not slower than the others.
	const dummy = hash(randomBytes(16).toString('hex'));

	return {
		/** An argon2id hash of `password` (PHC string, salt included). */
		hash(password: string): Promise<string> {
			return hash(password);
		},
		/** Whether `password` matches `passwordHash`; false for a malformed hash. */
		async verify(passwordHash: string, password: string): Promise<boolean> {
			try {
				return await verify(passwordHash, password);
			} catch {
				return false;
			}
		},
		/**
		 * Spends the time of a real verification against a hash no password matches, so a login for an
		 * unknown handle takes as long as one with a wrong password.
		 */
		async verifyDummy(password: string): Promise<false> {
			await verify(await dummy, password).catch(() => false);

			return false;
		},
	};
}

/** What {@link createPasswords} returns. */
export type Passwords = ReturnType<typeof createPasswords>;

/** Decorates the app with `passwords`. */
export default fp(
	async function passwords(app: FastifyInstance) {
		app.decorate('passwords', createPasswords());
	},
	{ name: 'passwords' }
);
