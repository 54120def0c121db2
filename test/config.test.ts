import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ConfigError, configSchema, loadConfig, trustedProxies } from '../config.js';
import { formatEncryptionKeys, generateEncryptionKey } from '../secrets/encryption-keys.js';

const ENCRYPTION_KEYS = formatEncryptionKeys([generateEncryptionKey('k1')]);

describe('loadConfig', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ BANKFEED_ROLE: 'all', PORT: 3000, DATA_DIR: 'data', TEMPORAL_UI_PORT: 8233, DEMOBANK_PORT: 4010 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  test('values are converted to their types', () => {
    const config = loadConfig({ PORT: '8080', TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgresql://u@db/bankfeed', ENCRYPTION_KEYS, RATE_LIMIT_PER_MINUTE: '60' });
    expect(config.PORT).toBe(8080);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  test('TRUST_PROXY: a hop count, or addresses, CIDR ranges and range names; anything else is named', () => {
    expect(trustedProxies(loadConfig({}).TRUST_PROXY)).toBe(false);
    expect(trustedProxies(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY)).toBe(1);
    expect(trustedProxies(loadConfig({ TRUST_PROXY: '10.0.0.0/8, fd00::/8,loopback,192.0.2.1' }).TRUST_PROXY)).toEqual(['10.0.0.0/8', 'fd00::/8', 'loopback', '192.0.2.1']);
    for (const wrong of ['10.0.0.0/33', 'proxy.example', '10.0.0/8', 'fd00::/129', '1.2.3.4/8/8']) {
      expect(() => loadConfig({ TRUST_PROXY: wrong }), wrong).toThrow(/TRUST_PROXY=.* is not valid/);
    }
  });

  test('an empty variable counts as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  test('every wrong value is reported with its variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db', TEMPORAL_ADDRESS: 'temporal', PUBLIC_URL: 'https://bank.example/' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toEqual([
      expect.stringMatching(/^PORT="70000" is not valid: expected a TCP port \(1-65535\)/),
      expect.stringMatching(/^PUBLIC_URL=.* expected an http\(s\) URL without a trailing slash/),
      expect.stringMatching(/^LOG_LEVEL="loud" is not valid: expected one of fatal, error, warn, info, debug, trace/),
      expect.stringMatching(/^DATABASE_URL="mysql:\/\/db" is not valid: expected a postgres:\/\/ URL/),
      expect.stringMatching(/^TEMPORAL_ADDRESS="temporal" is not valid: expected host:port/),
    ]);
    expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- PORT=/);
  });

  test('a split role needs real services', () => {
    expect(() => loadConfig({ BANKFEED_ROLE: 'worker' })).toThrow(/DATABASE_URL is not set: BANKFEED_ROLE=worker needs it/);
    expect(loadConfig({ BANKFEED_ROLE: 'api', DATABASE_URL: 'postgres://db/x', TEMPORAL_ADDRESS: 't:7233', ENCRYPTION_KEYS }).BANKFEED_ROLE).toBe('api');
  });

  test('Postgres needs encryption keys from the environment; embedded PGlite may go without (a key is generated into DATA_DIR)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x' })).toThrow(/ENCRYPTION_KEYS is not set: with DATABASE_URL .*openssl rand -base64 32/);
    expect(loadConfig({}).ENCRYPTION_KEYS).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', ENCRYPTION_KEYS }).ENCRYPTION_KEYS).toBe(ENCRYPTION_KEYS);
  });

  test('malformed encryption keys, duplicate key ids, weak tokens and bad origins are refused', () => {
    const key = generateEncryptionKey('k').key.toString('base64');
    expect(() => loadConfig({ ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/ENCRYPTION_KEYS=.* expected comma-separated keyId:base64key/);
    expect(() => loadConfig({ ENCRYPTION_KEYS: `k1:${key},k1:${key}` })).toThrow(/ENCRYPTION_KEYS is not valid: key id k1 appears twice/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN="short" is not valid: expected a secret of at least 16/);
    expect(() => loadConfig({ CODEC_TOKEN: 'has spaces in it, sixteen+' })).toThrow(/CODEC_TOKEN=.* expected a secret/);
    expect(() => loadConfig({ CODEC_CORS_ORIGINS: 'http://ui.example/path' })).toThrow(/CODEC_CORS_ORIGINS=.* expected comma-separated origins/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE="0" is not valid/);
    expect(loadConfig({ CODEC_CORS_ORIGINS: 'https://temporal.example,http://localhost:8080' }).CODEC_CORS_ORIGINS).toBe('https://temporal.example,http://localhost:8080');
  });

  test('.env.example documents every variable, with its default', () => {
    const documented = new Map(
      [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name!, value!]),
    );
    for (const [name, schema] of Object.entries(configSchema.properties)) {
      expect(documented.has(name), `${name} is missing from .env.example`).toBe(true);
      const fallback = (schema as { default?: unknown }).default;
      expect(documented.get(name), `${name}'s default in .env.example`).toBe(fallback === undefined ? '' : String(fallback));
    }
    expect([...documented.keys()].filter((name) => !(name in configSchema.properties))).toEqual([]);
  });
});
