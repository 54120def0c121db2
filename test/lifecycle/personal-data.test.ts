/**
 * Personal data kept to need (issue "Security hardening"): reminder addresses sealed at rest and
 * changeable through the API; the person's IP address gone once the sync it was given for ran.
 * Checked by scanning every text column of every table, so a new column cannot hide one.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bankConnections, tenants } from '../../db/schema.js';
import { openEmail, sealPlainEmails } from '../../notifications/recipients.js';
import { DecryptionError } from '../../secrets/keyring.js';
import { PSU_IP } from '../helpers/demobank.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});
afterAll(() => stack?.close());

/** Every table.column (text-like) holding `needle`, searched in the stack's database. */
async function columnsHolding(needle: string): Promise<string[]> {
  const columns = await stack.database.rows<{ table_name: string; column_name: string }>(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type in ('text', 'character varying', 'jsonb', 'json', 'inet')`);
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [hit] = await stack.database.rows<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)}::text like ${`%${needle}%`}`,
    );
    if (hit!.n > 0) found.push(`${table}.${column}`);
  }
  return found;
}

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  stack.app.inject({ method, url, payload: payload as object, headers: { ...stack.headers, ...headers } });

test("after the syncs that needed them no table holds the person's IP or the reminder address in plain text", async () => {
  const email = 'anna.personal@ledger.example';
  const { connectionId } = await stack.link({ notificationEmail: email });
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  // A manual sync on behalf of the person, with their IP: attended access.
  const requested = await call('POST', `/v1/connections/${connectionId}/sync`, undefined, { 'psu-ip-address': '198.51.100.23' });
  expect(requested.statusCode).toBe(202);
  const syncId = requested.json<{ sync_id: string }>().sync_id;
  await until(async () => ['completed', 'failed', 'joined', 'skipped'].includes((await call('GET', `/v1/syncs/${syncId}`)).json<{ status: string }>().status), 30_000, () => 'the manual sync did not finish');

  expect(await columnsHolding(PSU_IP)).toEqual([]);
  expect(await columnsHolding('198.51.100.23')).toEqual([]);
  expect(await columnsHolding(email)).toEqual([]);
  // The API still answers with the address: it is sealed, not lost.
  expect((await call('GET', `/v1/connections/${connectionId}`)).json()).toMatchObject({ notification_email: email });
});

test('PATCH /v1/connections/{id} changes the reminder address and the redirect URL, sealed at rest; null removes them', async () => {
  const { connectionId } = await stack.link({ notificationEmail: 'before@ledger.example' });
  const changed = await call('PATCH', `/v1/connections/${connectionId}`, { notification_email: 'after@ledger.example', redirect_url: 'https://ledger.example/back' });
  expect(changed.statusCode, changed.body).toBe(200);
  expect(changed.json()).toMatchObject({ id: connectionId, notification_email: 'after@ledger.example', redirect_url: 'https://ledger.example/back' });
  const stored = await stack.connection(connectionId);
  expect(stored.notificationEmail).not.toContain('@');
  expect(stored.notificationEmail).toMatch(/^v1\./);

  const cleared = await call('PATCH', `/v1/connections/${connectionId}`, { notification_email: null });
  expect(cleared.json()).toMatchObject({ notification_email: null, redirect_url: 'https://ledger.example/back' });
  expect((await call('PATCH', `/v1/connections/${connectionId}`, {})).statusCode).toBe(400);
  expect((await call('PATCH', `/v1/connections/${connectionId}`, { notification_email: 'not an address' })).statusCode).toBe(400);
});

test('addresses stored before sealing are sealed at start, once; a sealed value copied to another row does not open there', async () => {
  const { connectionId } = await stack.link();
  await stack.database.db.update(bankConnections).set({ notificationEmail: 'legacy@ledger.example' }).where(eq(bankConnections.id, connectionId));
  await stack.database.db.update(tenants).set({ notificationEmail: 'tenant-legacy@ledger.example' }).where(eq(tenants.id, stack.tenantId));
  expect(await sealPlainEmails(stack.database.db, stack.secrets)).toBeGreaterThanOrEqual(2);
  expect(await sealPlainEmails(stack.database.db, stack.secrets)).toBe(0);
  expect(await columnsHolding('legacy@ledger.example')).toEqual([]);
  expect((await call('GET', `/v1/connections/${connectionId}`)).json()).toMatchObject({ notification_email: 'legacy@ledger.example' });
  expect((await call('GET', '/v1/tenant')).json()).toMatchObject({ notification_email: 'tenant-legacy@ledger.example' });

  const sealed = (await stack.connection(connectionId)).notificationEmail;
  expect(() => openEmail(stack.secrets, { connectionId: randomUUID() }, sealed)).toThrow(DecryptionError);
  expect(() => openEmail(stack.secrets, { tenantId: stack.tenantId }, sealed)).toThrow(DecryptionError);
});
