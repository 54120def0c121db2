/**
 * The upgrade to keys the tenant manages (migration 0007): `label` held the display prefix
 * ("bfk_AbCd1234…"); it moves to `prefix`, and keys keep working, with full scope.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, test } from 'vitest';
import { openDatabase, type DatabaseOptions } from '../../db/client.js';
import { apiKeys } from '../../db/schema.js';
import { generateApiKey } from '../../tenants/api-keys.js';
import { findApiKey } from '../../tenants/store.js';
import { migrateUpTo } from '../helpers/migrations.js';

const postgresUrl = inject('databaseUrl');
const drivers: [string, DatabaseOptions['url']][] = [['PGlite', undefined]];
if (postgresUrl) drivers.push(['Postgres', postgresUrl]);

describe.each(drivers)('the upgrade to managed keys on %s', (_driver, url) => {
  test("an existing key's display prefix becomes its prefix, its label is free, and it still authenticates with full scope", async () => {
    const schemaName = `upgrade_${randomBytes(4).toString('hex')}`;
    const database = await openDatabase({ url, schemaName, poolSize: 2 });
    try {
      await migrateUpTo(database, '0007_keys_and_audit_trail');
      const tenant = randomUUID();
      const key = generateApiKey();
      const keyId = randomUUID();
      await database.db.execute(sql`insert into tenants (id, name) values (${tenant}, 'Firma')`);
      await database.db.execute(sql`insert into api_keys (id, tenant_id, key_hash, label) values (${keyId}, ${tenant}, ${key.keyHash}, ${`${key.prefix}…`})`);

      await database.migrate();
      const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
      expect(row).toMatchObject({ prefix: key.prefix, label: null, scope: 'full', expiresAt: null, lastUsedAt: null, revokedAt: null });
      expect(await findApiKey(database.db, key.key)).toMatchObject({ keyId, tenantId: tenant, prefix: key.prefix, scope: 'full' });
    } finally {
      if (url) await database.db.execute(sql`drop schema ${sql.identifier(schemaName)} cascade`);
      await database.close();
    }
  }, 120_000);
});
