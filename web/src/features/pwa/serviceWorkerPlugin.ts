import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { ar } from '../../i18n/ar';
import { en } from '../../i18n/en';

// Files of `public/` the shell needs offline or at install; the rest of `public/` is fetched on demand.
const PUBLIC_SHELL = ['/offline.html', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png'];

function listFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);

		return statSync(path).isDirectory() ? listFiles(path) : [path];
	});
}

// Reach: the messages a push notification shows, from the app's own dictionaries (the worker has no i18n).
function pushText(): Record<'en' | 'ar', Record<string, string>> {
	const pick = (dictionary: Record<string, unknown>) =>
		Object.fromEntries(
			Object.entries(dictionary).filter(
				(entry): entry is [string, string] =>
					(entry[0].startsWith('push.title.') || entry[0].startsWith('notif.kind.')) && typeof entry[1] === 'string'
			)
		);

	return { en: pick(en), ar: pick(ar) };
}

/**
 * Emits `sw.js` at build time: the worker in `serviceWorker.js` with the list of the built app shell
 * (hashed JS/CSS chunks, index.html, the offline page) and a version hashed from them, so each build
 * that changes the client installs a new worker. Nothing in development: the page registers it only in
 * production builds.
 */
export function serviceWorkerPlugin(): Plugin {
	let publicDir = '';

	return {
		name: 'majlis-service-worker',
		apply: 'build',
		// After Vite's own HTML plugin, so index.html is in the bundle to list.
		enforce: 'post',
		configResolved(config) {
			publicDir = config.publicDir;
		},
		generateBundle(_options, bundle) {
			const built = Object.keys(bundle)
				.filter((file) => !file.endsWith('.map'))
				.map((file) => `/${file}`);
			const precache = ['/', ...built.filter((file) => file !== '/index.html'), ...PUBLIC_SHELL];
			const hash = createHash('sha256');
			const worker = readFileSync(new URL('./serviceWorker.js', import.meta.url), 'utf8');
			hash.update(worker);
			for (const file of Object.keys(bundle).sort()) {
				const chunk = bundle[file];
				hash.update(file);
				hash.update(chunk?.type === 'chunk' ? chunk.code : String(chunk?.source ?? ''));
			}
			for (const file of listFiles(publicDir).sort()) {
				hash.update(relative(publicDir, file));
				hash.update(readFileSync(file));
			}
			const build = { version: hash.digest('hex').slice(0, 12), precache };
			this.emitFile({
				type: 'asset',
				fileName: 'sw.js',
				source: `const BUILD = ${JSON.stringify(build)};\nconst PUSH_TEXT = ${JSON.stringify(pushText())};\n${worker}`,
			});
		},
	};
}
