import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, toAppConfig } from './config.js';
import { silentLogger } from './lib/logger.js';
import { resolveJwtSecret } from './secrets.js';

const longSecret = 'x'.repeat(32);

describe('configuration', () => {
  it('has working defaults for development', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, PRESENCE_GRACE_MS: 5000, ALLOWED_ORIGINS: [] });
    expect(toAppConfig(env, longSecret).production).toBe(false);
  });

  it('fails fast, naming each bad variable', () => {
    expect(() => parseEnv({ PORT: 'eighty', NODE_ENV: 'staging' })).toThrow(ConfigError);
    try {
      parseEnv({ PORT: 'eighty', NODE_ENV: 'staging' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/NODE_ENV/);
    }
  });

  it('splits ALLOWED_ORIGINS on commas', () => {
    expect(parseEnv({ ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).ALLOWED_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('takes REDIS_URL only as a redis:// or rediss:// URL (one process without it)', () => {
    expect(parseEnv({}).REDIS_URL).toBeUndefined();
    expect(parseEnv({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(() => parseEnv({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(parseEnv({}).PRESENCE_NODE_TIMEOUT_MS).toBe(15_000);
    expect(() => parseEnv({ PRESENCE_NODE_TIMEOUT_MS: '10' })).toThrow(/PRESENCE_NODE_TIMEOUT_MS/);
  });

  it('keeps metrics off unless asked, and refuses a short metrics token', () => {
    const env = parseEnv({ METRICS_TOKEN: '', METRICS_PORT: '', LOG_FORMAT: '' });
    expect(env).toMatchObject({ METRICS_TOKEN: undefined, METRICS_PORT: undefined, LOG_FORMAT: undefined, SHUTDOWN_DRAIN_DELAY_MS: 0 });
    expect(toAppConfig(env, longSecret).metricsToken).toBeUndefined();
    expect(() => parseEnv({ METRICS_TOKEN: 'too-short' })).toThrow(/METRICS_TOKEN/);
    expect(parseEnv({ METRICS_PORT: '9464', LOG_FORMAT: 'pretty' })).toMatchObject({ METRICS_PORT: 9464, LOG_FORMAT: 'pretty' });
    expect(toAppConfig(parseEnv({ METRICS_TOKEN: 'a'.repeat(16) }), longSecret).metricsToken).toBe('a'.repeat(16));
  });

  it('reads per-user budgets as <per second>/<burst>, with a default for every door', () => {
    const config = toAppConfig(parseEnv({ BUDGET_REST: '0.5/5', MAX_SOCKETS_PER_USER: '3' }), longSecret);
    expect(config.budgets.rest).toEqual({ perSecond: 0.5, burst: 5 });
    expect(config.budgets.send_message).toEqual({ perSecond: 10, burst: 30 });
    expect(Object.values(config.budgets).every((rate) => rate.perSecond > 0 && rate.burst >= 1)).toBe(true);
    expect(config.maxSocketsPerUser).toBe(3);
    expect(config.maxQueuedPerUser).toBe(32);
    for (const bad of ['10', '10/0', '0/5', 'fast', '-1/5']) expect(() => parseEnv({ BUDGET_TYPING_START: bad })).toThrow(/BUDGET_TYPING_START/);
  });

  it('refuses a JWT secret shorter than 32 bytes', () => {
    expect(() => toAppConfig(parseEnv({}), 'short')).toThrow(/at least 32 bytes/);
  });

  it('refuses to start in production without JWT_SECRET', () => {
    expect(() => resolveJwtSecret(parseEnv({ NODE_ENV: 'production' }), silentLogger)).toThrow(/JWT_SECRET is required/);
  });

  it('generates a development secret once and keeps it in the data folder', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-secret-'));
    const env = parseEnv({ DATA_DIR: dataDir });
    const first = resolveJwtSecret(env, silentLogger);
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(resolveJwtSecret(env, silentLogger)).toBe(first);
    expect(readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
  });

  it('reads TRUST_PROXY as off, a hop count, or a list of proxy addresses and CIDRs', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses TRUST_PROXY=true with a start-up error that says what to give instead', () => {
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*would trust any X-Forwarded-For.*number of proxies/s);
  });

  it.each(['yes', '10.0.0.0/33', 'proxy.example', '1.2.3', '-1', '10.0.0.1/8/1'])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('has an absolute session lifetime of 30 days unless told otherwise', () => {
    expect(toAppConfig(parseEnv({}), longSecret).sessionMaxAgeMs).toBe(30 * 24 * 3600 * 1000);
    expect(toAppConfig(parseEnv({ SESSION_MAX_AGE_DAYS: '7' }), longSecret).sessionMaxAgeMs).toBe(7 * 24 * 3600 * 1000);
  });
});
