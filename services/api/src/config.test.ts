import { describe, expect, test } from 'vitest';
import { envApiOptions, loadApiConfig } from './config.js';

const BASE = {
	DATABASE_URL: 'postgres://u@db:5432/majlis',
	JWT_SECRET: 's'.repeat(32),
};

describe('loadApiConfig()', () => {
	test('applies defaults', () => {
		expect(loadApiConfig(BASE)).toEqual({
			port: 8080,
			host: '0.0.0.0',
			databaseUrl: BASE.DATABASE_URL,
			redisUrl: undefined,
			jwtSecret: BASE.JWT_SECRET,
			corsOrigins: [],
			logLevel: 'info',
			trustProxy: false,
			metricsToken: undefined,
			adminHandles: [],
			limits: {},
			webhooks: {},
		});
	});

	test('reads every variable', () => {
		expect(
			loadApiConfig({
				...BASE,
				PORT: '9000',
				HOST: '127.0.0.1',
				REDIS_URL: 'redis://r:6379',
				CORS_ORIGINS: 'https://a.example, https://b.example,',
				LOG_LEVEL: 'debug',
				TRUST_PROXY: 'true',
				MAJLIS_ADMINS: 'layla, @omar,',
			})
		).toMatchObject({
			adminHandles: ['layla', '@omar'],
			port: 9000,
			host: '127.0.0.1',
			redisUrl: 'redis://r:6379',
			corsOrigins: ['https://a.example', 'https://b.example'],
			logLevel: 'debug',
			trustProxy: true,
		});
	});

	test.each([
		[{ ...BASE, JWT_SECRET: 'short' }, /JWT_SECRET/],
		[{ ...BASE, JWT_SECRET: '' }, /JWT_SECRET/],
		[{ JWT_SECRET: BASE.JWT_SECRET }, /DATABASE_URL/],
		[{ ...BASE, DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
		[{ ...BASE, PORT: 'eighty' }, /PORT/],
		[{ ...BASE, PORT: '70000' }, /PORT/],
		[{ ...BASE, REDIS_URL: 'http://x' }, /REDIS_URL/],
		[{ ...BASE, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
	])('refuses %o', (env, message) => {
		expect(() => loadApiConfig(env)).toThrow(message);
	});

	test.each([
		['1', 1],
		['true', true],
		['false', false],
		['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8,127.0.0.1'],
		['loopback,fd00::/8', 'loopback,fd00::/8'],
	])('TRUST_PROXY=%s (hop count or CIDR list, as Fastify takes it)', (value, expected) => {
		expect(loadApiConfig({ ...BASE, TRUST_PROXY: value }).trustProxy).toEqual(expected);
	});

	test.each(['yes', '10.0.0.0/33', '999.1.1.1', 'a,,b'])('refuses TRUST_PROXY=%s', (value) => {
		expect(() => loadApiConfig({ ...BASE, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
	});

	test('refuses CORS_ORIGINS entries that are not origins, and limits that are not positive integers', () => {
		expect(() => loadApiConfig({ ...BASE, CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
		expect(() => loadApiConfig({ ...BASE, LIMIT_LIVE_ROOMS_PER_USER: '0' })).toThrow(
			/LIMIT_LIVE_ROOMS_PER_USER/
		);
		expect(loadApiConfig({ ...BASE, LIMIT_LIVE_ROOMS_PER_USER: '3' }).limits).toEqual({
			liveRoomsPerUser: 3,
		});
	});

	test('counts the secret in bytes, not characters', () => {
		// 11 three-byte characters = 33 bytes.
		expect(loadApiConfig({ ...BASE, JWT_SECRET: '€'.repeat(11) }).jwtSecret).toBe('€'.repeat(11));
		expect(() => loadApiConfig({ ...BASE, JWT_SECRET: '€'.repeat(10) })).toThrow(/32 bytes/);
	});

	// Integrations: webhook delivery settings.
	test('reads the webhook settings and names a bad one', () => {
		expect(
			loadApiConfig({ ...BASE, WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_BASE_MS: '500' }).webhooks
		).toEqual({
			allowPrivate: true,
			retryBaseMs: 500,
		});
		expect(() => loadApiConfig({ ...BASE, WEBHOOKS_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOKS_ALLOW_PRIVATE/);
		expect(() => loadApiConfig({ ...BASE, WEBHOOK_RETRY_BASE_MS: '-1' })).toThrow(/WEBHOOK_RETRY_BASE_MS/);
	});

	test('FEDERATION=on needs PUBLIC_URL, whose origin becomes the federation domain', () => {
		expect(loadApiConfig(BASE).federation).toBeUndefined();
		expect(
			loadApiConfig({ ...BASE, FEDERATION: 'off', PUBLIC_URL: 'https://m.example' }).federation
		).toBeUndefined();
		expect(loadApiConfig({ ...BASE, FEDERATION: 'on', PUBLIC_URL: 'https://m.example/' }).federation).toEqual(
			{
				publicUrl: 'https://m.example',
				allowPrivate: false,
			}
		);
		expect(
			loadApiConfig({
				...BASE,
				FEDERATION: 'on',
				PUBLIC_URL: 'http://127.0.0.1:9',
				FEDERATION_ALLOW_PRIVATE: '1',
			}).federation
		).toEqual({ publicUrl: 'http://127.0.0.1:9', allowPrivate: true });
		expect(() => loadApiConfig({ ...BASE, FEDERATION: 'on' })).toThrow(/PUBLIC_URL/);
		expect(() => loadApiConfig({ ...BASE, FEDERATION: 'yes', PUBLIC_URL: 'https://m.example' })).toThrow(
			/FEDERATION must be on or off/
		);
		expect(() => loadApiConfig({ ...BASE, PUBLIC_URL: 'ftp://m.example' })).toThrow(/PUBLIC_URL/);
	});
});

describe('envApiOptions()', () => {
	test('hands the environment settings to the API, and nothing that the entry sets itself', () => {
		const config = loadApiConfig({
			...BASE,
			CORS_ORIGINS: 'https://a.example',
			TRUST_PROXY: 'true',
			METRICS_TOKEN: 'm'.repeat(16),
			MAJLIS_ADMINS: 'layla',
			INTERNAL_PORT: '9100',
		});
		expect(envApiOptions(config)).toEqual({
			corsOrigins: ['https://a.example'],
			trustProxy: true,
			metricsToken: 'm'.repeat(16),
			adminHandles: ['layla'],
			limits: {},
			internalPort: 9100,
			turn: undefined,
			webhooks: {},
			federation: undefined,
		});
	});
});
