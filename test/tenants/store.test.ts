import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiKeys } from '../../db/schema.js';
import { hashApiKey } from '../../tenants/api-keys.js';
import { createTenant, findApiKey, hasTenants, issueApiKey, listTenants, revokeApiKey } from '../../tenants/store.js';
import { createTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

test('a new tenant gets a recognisable 256-bit key that the database keeps only as a SHA-256 hash', async () => {
  const { db } = database;
  expect(await hasTenants(db)).toBe(false);
  const { tenantId, apiKey } = await createTenant(db, 'Acme ApS');
  expect(await hasTenants(db)).toBe(true);
  expect(apiKey.key).toMatch(/^bfk_[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(apiKey.key.slice(4), 'base64url')).toHaveLength(32);
  expect(apiKey.prefix).toBe(apiKey.key.slice(0, 12));

  const rows = await db.select().from(apiKeys);
  expect(rows).toEqual([expect.objectContaining({ id: apiKey.keyId, tenantId, keyHash: hashApiKey(apiKey.key), revokedAt: null })]);
  expect(JSON.stringify(rows)).not.toContain(apiKey.key.slice(12));
  expect(await findApiKey(db, apiKey.key)).toEqual({ keyId: apiKey.keyId, tenantId, prefix: apiKey.prefix, scope: 'full', lastUsedAt: null });
});

test('keys are distinct; another key works alongside; a revoked key authenticates as nobody', async () => {
  const { db } = database;
  const { tenantId, apiKey: first } = await createTenant(db, 'Second GmbH');
  const second = (await issueApiKey(db, tenantId))!;
  expect(second.key).not.toBe(first.key);
  expect(await findApiKey(db, second.key)).toMatchObject({ keyId: second.keyId, tenantId });

  const revoked = await revokeApiKey(db, first.keyId);
  expect(revoked).toMatchObject({ id: first.keyId, tenantId, revokedAt: expect.any(Date) });
  expect(await findApiKey(db, first.key)).toBeUndefined();
  expect(await findApiKey(db, second.key)).toBeDefined();
  // Revoking again keeps the first revocation time.
  expect((await revokeApiKey(db, first.keyId))!.revokedAt).toEqual(revoked!.revokedAt);
});

test('unknown tenants, keys and key-shaped strings find nothing', async () => {
  const { db } = database;
  const nobody = '00000000-0000-4000-8000-000000000000';
  expect(await issueApiKey(db, nobody)).toBeUndefined();
  expect(await revokeApiKey(db, nobody)).toBeUndefined();
  expect(await findApiKey(db, `bfk_${'A'.repeat(43)}`)).toBeUndefined();
  expect(await findApiKey(db, 'not a key')).toBeUndefined();
});

test('the listing shows tenants with their keys by prefix, revoked ones marked', async () => {
  const listing = await listTenants(database.db);
  expect(listing.map((tenant) => [tenant.name, tenant.keys.map((key) => [key.prefix.startsWith('bfk_'), key.revokedAt !== null])])).toEqual([
    ['Acme ApS', [[true, false]]],
    [
      'Second GmbH',
      [
        [true, true],
        [true, false],
      ],
    ],
  ]);
});
