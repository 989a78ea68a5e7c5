import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const smoke = join(dirname(fileURLToPath(import.meta.url)), '../smoke.sh');
/** smoke.sh's exit code when no Docker daemon can run on this machine. */
const NO_DOCKER = 77;

// The whole deployment as a self-hoster starts it (smoke.sh): MAJLIS_COMPOSE_SMOKE=0 leaves it out.
test.skipIf(process.env.MAJLIS_COMPOSE_SMOKE === '0')(
	'docker compose: the real docker-compose.yml starts healthy and a listener hears the host through the SFU container',
	async (ctx) => {
		const child = spawn('bash', [smoke], { stdio: ['ignore', 'inherit', 'pipe'] });
		let tail = '';
		child.stderr.on('data', (chunk: Buffer) => {
			process.stderr.write(chunk);
			tail = (tail + chunk.toString()).slice(-4000);
		});
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		if (code === NO_DOCKER) {
			ctx.skip(`no Docker daemon can run here: ${tail.trim().split('\n').at(-1)}`);
		}
		expect(code, tail).toBe(0);
	}
);
