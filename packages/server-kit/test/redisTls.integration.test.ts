import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBus } from '../src/createBus.js';
import { RedisBus } from '../src/RedisBus.js';
import { type RedisServer, startRedisServer } from '../src/redisServer.js';

// `rediss://` in REDIS_URL: TLS to Redis, the server's certificate checked against the trusted CAs (a
// private CA is added with NODE_EXTRA_CA_CERTS in production; here with tls.setDefaultCACertificates, its
// in-process equivalent). A real redis-server serves TLS only, with a password, on a certificate of a CA
// made for the test with openssl.

const PASSWORD = 'tls-redis-password';
const SECRET = 'majlis-redis-tls-test-secret-32-bytes!';
let dir: string;
let server: RedisServer;
let ca: string;
const defaults = getCACertificates('default');

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'majlis-redis-tls-'));
	const file = (name: string) => join(dir, name);
	const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
	openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key'));
	openssl(
		'req',
		'-x509',
		'-new',
		'-key',
		file('ca.key'),
		'-subj',
		'/CN=majlis test CA',
		'-days',
		'1',
		'-out',
		file('ca.pem')
	);
	openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('server.key'));
	openssl('req', '-new', '-key', file('server.key'), '-subj', '/CN=localhost', '-out', file('server.csr'));
	writeFileSync(file('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
	openssl(
		'x509',
		'-req',
		'-in',
		file('server.csr'),
		'-CA',
		file('ca.pem'),
		'-CAkey',
		file('ca.key'),
		'-CAcreateserial',
		'-days',
		'1',
		'-extfile',
		file('san.ext'),
		'-out',
		file('server.pem')
	);
	ca = readFileSync(file('ca.pem'), 'utf8');
	server = await startRedisServer(
		[
			'--tls-cert-file',
			file('server.pem'),
			'--tls-key-file',
			file('server.key'),
			'--tls-ca-cert-file',
			file('ca.pem'),
			'--tls-auth-clients',
			'no',
			'--requirepass',
			PASSWORD,
		],
		{ tls: true }
	);
});
afterAll(async () => {
	setDefaultCACertificates(defaults);
	await server?.stop();
	if (dir) {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('rediss:// talks TLS to Redis, trusting the CA given to Node; redis:// cannot talk to a TLS port', async () => {
	const at = (scheme: string) => `${scheme}://:${PASSWORD}@localhost:${server.port}`;
	// Plain text never gets an answer from a TLS port.
	const plain = new RedisBus(at('redis'));
	try {
		await expect(plain.get('majlis:test:tls')).rejects.toThrow();
		expect(plain.connected).toBe(false);
	} finally {
		await plain.close();
	}

	setDefaultCACertificates([...defaults, ca]);
	const bus = createBus(at('rediss'), { secret: SECRET });
	try {
		await bus.set('majlis:test:tls', 'over tls', 10_000);
		expect(await bus.get('majlis:test:tls')).toBe('over tls');
		const received: string[] = [];
		await bus.subscribe('majlis:test:tls-channel', (m) => received.push(m));
		await bus.publish('majlis:test:tls-channel', 'sealed');
		await expect.poll(() => received).toEqual(['sealed']);
	} finally {
		await bus.close();
	}
});
