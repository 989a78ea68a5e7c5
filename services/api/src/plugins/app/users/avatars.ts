import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROFILE_LIMITS } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import sharp from 'sharp';
import { ValidationError } from '../../../errors.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Avatar images: resized, stripped and stored as files. */
		avatars: Avatars;
	}
}

/** The stored image type of every avatar. */
export const AVATAR_TYPE = 'image/webp';

// A decompression bomb (a tiny PNG of 50,000² pixels) is refused before it is decoded.
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Avatars as files under one directory, one per user (`<userId>.webp`). Uploads are decoded, turned
 * upright by their EXIF orientation, cropped to a square of {@link PROFILE_LIMITS.avatarSize} and
 * re-encoded: the stored file holds pixels only, no EXIF (camera, GPS), ICC or XMP metadata.
 */
export function createAvatars(dir: string) {
	const file = (userId: string) => join(dir, `${userId}.webp`);

	return {
		/** The square, metadata-free image of `input`; a 400 naming `avatar` when it is not an image. */
		async process(input: Buffer): Promise<{ bytes: Buffer; version: string }> {
			let bytes: Buffer;
			try {
				bytes = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
					.rotate()
					.resize(PROFILE_LIMITS.avatarSize, PROFILE_LIMITS.avatarSize, { fit: 'cover' })
					.webp({ quality: 82 })
					.toBuffer();
			} catch {
				throw new ValidationError({ avatar: 'is not a readable PNG, JPEG or WebP image' });
			}

			return { bytes, version: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
		},

		/** Stores `bytes` as `userId`'s avatar (replacing it whole: written beside, then renamed). */
		async save(userId: string, bytes: Buffer): Promise<void> {
			await mkdir(dir, { recursive: true });
			const temporary = `${file(userId)}.${randomBytes(4).toString('hex')}.tmp`;
			await writeFile(temporary, bytes);
			await rename(temporary, file(userId));
		},

		/** `userId`'s avatar bytes, or undefined. */
		async read(userId: string): Promise<Buffer | undefined> {
			try {
				return await readFile(file(userId));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
					return undefined;
				}
				throw error;
			}
		},

		/** Removes `userId`'s avatar (idempotent). */
		async remove(userId: string): Promise<void> {
			await rm(file(userId), { force: true });
		},
	};
}

/** What {@link createAvatars} returns. */
export type Avatars = ReturnType<typeof createAvatars>;

/** Decorates the app with `avatars`, stored under `avatarDir` (default `avatars` under DATA_DIR). */
export default fp(
	async function avatars(app: FastifyInstance, opts: { avatarDir?: string }) {
		app.decorate(
			'avatars',
			createAvatars(opts.avatarDir ?? join(process.env.DATA_DIR ?? '.majlis', 'avatars'))
		);
	},
	{ name: 'avatars' }
);
