import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '@majlis/server-kit';
import { describe, expect, test } from 'vitest';
import { liveBytes } from './liveMemory.js';

describe('liveBytes', () => {
	test('counts what a process keeps after a collection, not the garbage it made', async () => {
		const port = await freePort();
		// On a line from stdin: "garbage" makes 64 MB that nothing keeps, "keep" holds 32 MB more.
		const script = `
			globalThis.kept = [];
			process.stdin.on('data', (d) => {
				if (String(d).startsWith('keep')) kept.push(Buffer.alloc(32 << 20, 1));
				else for (let i = 0; i < 64; i++) new Array(1 << 17).fill({ i });
				process.stdout.write('done\\n');
			});
			process.stdout.write('ready\\n');`;
		const child = spawn(process.execPath, [`--inspect=127.0.0.1:${port}`, '-e', script], {
			stdio: ['pipe', 'pipe', 'ignore'],
		});
		try {
			const line = () => once(child.stdout, 'data');
			await line();
			const base = await liveBytes(`http://127.0.0.1:${port}`);
			child.stdin.write('garbage\n');
			await line();
			const afterGarbage = await liveBytes(`http://127.0.0.1:${port}`);
			expect(Math.abs(afterGarbage - base)).toBeLessThan(4 << 20);
			child.stdin.write('keep\n');
			await line();
			const afterKeep = await liveBytes(`http://127.0.0.1:${port}`);
			expect(afterKeep - base).toBeGreaterThan(31 << 20);
			expect(afterKeep - base).toBeLessThan(40 << 20);
		} finally {
			child.kill();
		}
	});
});
