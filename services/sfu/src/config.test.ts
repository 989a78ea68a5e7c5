import { describe, expect, test } from 'vitest';
import { generateTicketKeys } from '@majlis/server-kit';
import { loadSfuConfig } from './config.js';

const secret = 's'.repeat(32);

describe('loadSfuConfig()', () => {
	test('applies defaults and reads numbers', () => {
		const c = loadSfuConfig({
			JWT_SECRET: secret,
			PORT: '5000',
			RTC_MIN_PORT: '41000',
			HOST_GRACE_MS: '1500',
			REJOIN_GRACE_MS: '45000',
			SFU_NODE_ID: 'n1',
		});
		expect(c).toMatchObject({
			nodeId: 'n1',
			port: 5000,
			publicUrl: 'ws://localhost:5000/ws',
			apiUrl: 'http://127.0.0.1:8080',
			rtcMinPort: 41000,
			rtcMaxPort: undefined,
			hostGraceMs: 1500,
			rejoinGraceMs: 45000,
			redisUrl: undefined,
			logLevel: 'info',
		});
	});

	test('treats empty variables as unset', () => {
		expect(loadSfuConfig({ JWT_SECRET: secret, PORT: '', REDIS_URL: '' }).port).toBe(4443);
	});

	test.each([
		[{}, /JWT_SECRET/],
		[{ JWT_SECRET: 'short' }, /JWT_SECRET/],
		[{ JWT_SECRET: secret, PORT: 'eighty' }, /PORT/],
		[{ JWT_SECRET: secret, PORT: '70000' }, /PORT/],
		[{ JWT_SECRET: secret, REDIS_URL: 'http://x' }, /REDIS_URL/],
		[{ JWT_SECRET: secret, SFU_PUBLIC_URL: 'http://x' }, /SFU_PUBLIC_URL/],
		[{ JWT_SECRET: secret, RTC_MIN_PORT: '50000', RTC_MAX_PORT: '40000' }, /RTC_MIN_PORT/],
		[{ JWT_SECRET: secret, MEDIASOUP_NUM_WORKERS: '0' }, /MEDIASOUP_NUM_WORKERS/],
		[{ JWT_SECRET: secret, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
		[{ SERVICE_SECRET: secret }, /TICKET_PUBLIC_KEY and SERVICE_SECRET/],
		[{ TICKET_PUBLIC_KEY: 'not a key' }, /TICKET_PUBLIC_KEY/],
	])('refuses %o naming the variable', (env, name) => {
		expect(() => loadSfuConfig(env)).toThrow(name);
	});

	test('takes separated keys (ticket public key, service secret) in place of the shared secret', () => {
		const { publicKey } = generateTicketKeys();
		const c = loadSfuConfig({
			TICKET_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n'),
			SERVICE_SECRET: 'v'.repeat(32),
		});
		expect(c.jwtSecret).toEqual({ ticketPublicKey: publicKey.trim(), serviceSecret: 'v'.repeat(32) });
	});
});
