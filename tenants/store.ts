import { and, asc, desc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiKeys, tenants, type ApiKeyScope } from '../db/schema.js';
import { generateApiKey, hashApiKey, isApiKeyShaped } from './api-keys.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface IssuedApiKey {
  keyId: string;
  tenantId: string;
  /** The key itself: print it once, it is not stored. */
  key: string;
  prefix: string;
  row: ApiKeyRow;
}

export interface NewApiKeyOptions {
  label?: string;
  scope?: ApiKeyScope;
  expiresAt?: Date;
}

export interface TenantListing {
  id: string;
  name: string;
  createdAt: Date;
  keys: { id: string; prefix: string; createdAt: Date; revokedAt: Date | null }[];
}

/** The tenant and key an API key authenticates as; revoked and expired keys authenticate as nobody. */
export interface ApiKeyIdentity {
  keyId: string;
  tenantId: string;
  prefix: string;
  scope: ApiKeyScope;
  lastUsedAt: Date | null;
}

/** How stale last_used_at may get: keys are written at most this often, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export async function createTenant(db: Database, name: string): Promise<{ tenantId: string; apiKey: IssuedApiKey }> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values({ name }).returning({ id: tenants.id });
    const apiKey = await insertKey(tx, tenant!.id, {});
    return { tenantId: tenant!.id, apiKey };
  });
}

/** Another key for a tenant (keys rotate by issuing a new one, then revoking the old); undefined for an unknown tenant. */
export async function issueApiKey(db: Database, tenantId: string, options: NewApiKeyOptions = {}): Promise<IssuedApiKey | undefined> {
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
  return tenant ? insertKey(db, tenant.id, options) : undefined;
}

/**
 * Revokes a key for good: the key's row (with its first revocation time) and whether this call
 * revoked it, or undefined when there is no such key.
 */
export async function revokeApiKey(db: Database, keyId: string) {
  const revokedNow = await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return key && { ...key, revokedNow: revokedNow.length > 0 };
}

/** A key that authenticates now: not revoked, not expired (by the database's clock, as every check is). */
const usable = (): SQL => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)))!;

/**
 * Revokes one of the tenant's keys, unless it is the tenant's last usable key with full scope:
 * without one, nobody could make or revoke keys any more. Run it in a transaction: it locks the
 * tenant, so two revocations at once cannot both take "the other" last key.
 */
export async function revokeTenantApiKey(db: Database, tenantId: string, keyId: string): Promise<{ revoked: ApiKeyRow } | 'not-found' | 'last-key'> {
  await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
  const [key] = await db
    .select({ id: apiKeys.id, lastFull: sql<boolean>`${apiKeys.scope} = 'full' and (${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now()) and not exists (
      select 1 from ${apiKeys} other where other.tenant_id = ${tenantId} and other.id <> ${keyId} and other.scope = 'full'
        and other.revoked_at is null and (other.expires_at is null or other.expires_at > now()))` })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
  if (!key) return 'not-found';
  if (key.lastFull) return 'last-key';
  const [revoked] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyId)).returning();
  return { revoked: revoked! };
}

/** The tenant's keys that are not revoked (expired ones included, to be seen and removed), newest first. */
export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function listTenants(db: Database): Promise<TenantListing[]> {
  const rows = await db
    .select({ tenant: tenants, key: { id: apiKeys.id, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt } })
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

/**
 * Who an API key authenticates as: looked up by its hash, never by the key itself, on every
 * request (no cache: a revocation holds from the very next request on).
 */
export async function findApiKey(db: Database, key: string): Promise<ApiKeyIdentity | undefined> {
  if (!isApiKeyShaped(key)) return undefined;
  const [found] = await db
    .select({ keyId: apiKeys.id, tenantId: apiKeys.tenantId, prefix: apiKeys.prefix, scope: apiKeys.scope, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), usable()));
  return found;
}

/**
 * Notes that the key was used now, when last_used_at is older than LAST_USED_RESOLUTION_MS:
 * one write a minute per key at most, however many requests (and API processes) use it.
 */
export async function markApiKeyUsed(db: Database, identity: ApiKeyIdentity): Promise<void> {
  if (identity.lastUsedAt && Date.now() - identity.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const staleBefore = sql`now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})`;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, identity.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
}

async function insertKey(db: Pick<Database, 'insert'>, tenantId: string, options: NewApiKeyOptions): Promise<IssuedApiKey> {
  const { key, keyHash, prefix } = generateApiKey();
  const [row] = await db.insert(apiKeys).values({ tenantId, keyHash, prefix, label: options.label, scope: options.scope, expiresAt: options.expiresAt }).returning();
  return { keyId: row!.id, tenantId, key, prefix, row: row! };
}
