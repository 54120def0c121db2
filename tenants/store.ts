import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiKeys, tenants } from '../db/schema.js';
import { generateApiKey, hashApiKey, isApiKeyShaped } from './api-keys.js';

export interface IssuedApiKey {
  keyId: string;
  tenantId: string;
  /** The key itself: print it once, it is not stored. */
  key: string;
  displayPrefix: string;
}

export interface TenantListing {
  id: string;
  name: string;
  createdAt: Date;
  keys: { id: string; displayPrefix: string | null; createdAt: Date; revokedAt: Date | null }[];
}

/** The tenant and key an API key authenticates as; revoked keys authenticate as nobody. */
export interface ApiKeyIdentity {
  keyId: string;
  tenantId: string;
}

export async function createTenant(db: Database, name: string): Promise<{ tenantId: string; apiKey: IssuedApiKey }> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values({ name }).returning({ id: tenants.id });
    const apiKey = await insertKey(tx, tenant!.id);
    return { tenantId: tenant!.id, apiKey };
  });
}

/** Another key for a tenant (keys rotate by issuing a new one, then revoking the old); undefined for an unknown tenant. */
export async function issueApiKey(db: Database, tenantId: string): Promise<IssuedApiKey | undefined> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    return tenant ? insertKey(tx, tenant.id) : undefined;
  });
}

/** Revokes a key for good; the key's row (with its first revocation time), or undefined when there is no such key. */
export async function revokeApiKey(db: Database, keyId: string) {
  await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
  const [key] = await db
    .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, displayPrefix: apiKeys.label, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  return key;
}

export async function listTenants(db: Database): Promise<TenantListing[]> {
  const rows = await db
    .select({ tenant: tenants, key: { id: apiKeys.id, displayPrefix: apiKeys.label, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt } })
    .from(tenants)
    .leftJoin(apiKeys, eq(apiKeys.tenantId, tenants.id))
    .orderBy(asc(tenants.createdAt), asc(tenants.id), asc(apiKeys.createdAt));
  const listings = new Map<string, TenantListing>();
  for (const { tenant, key } of rows) {
    const listing = listings.get(tenant.id) ?? { ...tenant, keys: [] };
    listings.set(tenant.id, listing);
    if (key) listing.keys.push(key);
  }
  return [...listings.values()];
}

export async function hasTenants(db: Database): Promise<boolean> {
  return (await db.select({ id: tenants.id }).from(tenants).limit(1)).length > 0;
}

/** Who an API key authenticates as: looked up by its hash, never by the key itself. */
export async function findApiKey(db: Database, key: string): Promise<ApiKeyIdentity | undefined> {
  if (!isApiKeyShaped(key)) return undefined;
  const [found] = await db
    .select({ keyId: apiKeys.id, tenantId: apiKeys.tenantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  return found;
}

async function insertKey(db: Pick<Database, 'insert'>, tenantId: string): Promise<IssuedApiKey> {
  const { key, keyHash, displayPrefix } = generateApiKey();
  // api_keys has no column of its own for the display prefix: `label` keeps it.
  const [row] = await db.insert(apiKeys).values({ tenantId, keyHash, label: displayPrefix }).returning({ id: apiKeys.id });
  return { keyId: row!.id, tenantId, key, displayPrefix };
}
