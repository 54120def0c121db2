import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiKeys, bankConnections, csvPresets } from '../../db/schema.js';
import { BUILT_IN_CSV_PRESETS } from '../../statements/index.js';
import { syncs, transactions } from '../../db/schema.js';
import { createTenant } from '../../tenants/store.js';
import { exampleRoutes } from '../fixtures/example-routes.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectTenantIsolation } from '../helpers/isolation.js';
import { loadOperations } from '../helpers/openapi.js';

let stack: LifecycleStack;
let intruder: TestTenant;
let fixtures: Record<string, string>;
// The platform's own checks run on example routes, with a tenant of their own.
let api: TestApi;
let apiIntruder: TestTenant;
let exampleFixtures: Record<string, string>;

beforeAll(async () => {
  // The product routes on a whole stack, with a linked connection of the owner: its accounts and syncs.
  stack = await startLifecycleStack({ scale: 1 });
  const { connectionId } = await stack.link();
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  const [account] = await stack.accounts(connectionId);
  const [sync] = await stack.database.db.select().from(syncs).where(eq(syncs.connectionId, connectionId));
  const webhook = await stack.app.inject({ method: 'POST', url: '/v1/webhooks', headers: stack.headers, payload: { url: 'https://ledger.example/hooks' } });
  const [preset] = await stack.database.db
    .insert(csvPresets)
    .values({ tenantId: stack.tenantId, name: 'owner preset', preset: BUILT_IN_CSV_PRESETS.chase })
    .returning();
  const [key] = await stack.database.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.tenantId, stack.tenantId));
  const rule = await stack.app.inject({ method: 'POST', url: '/v1/matching-rules', headers: stack.headers, payload: { account_id: account!.id, ledger_account_code: '1000' } });
  const party = await stack.app.inject({ method: 'PUT', url: '/v1/parties', headers: stack.headers, payload: { parties: [{ id: 'owner-customer-1', kind: 'customer', name: 'Owner Customer' }] } });
  expect(party.statusCode, party.body).toBe(200);
  fixtures = {
    connectionId,
    accountId: account!.id,
    syncId: sync!.id,
    webhookId: webhook.json<{ id: string }>().id,
    presetId: preset!.id,
    keyId: key!.id,
    ruleId: rule.json<{ id: string }>().id,
    partyId: 'owner-customer-1',
    transactionId: (await stack.database.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.accountId, account!.id)).limit(1))[0]!.id,
  };
  intruder = await stackTenant(stack, 'Intruder');
  api = await startTestApi({ routes: exampleRoutes });
  apiIntruder = await api.addTenant('Intruder');
  const created = await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: api.tenant.headers, payload: { institutionId: 'DEMOBANK_DE' } });
  // The product routes are in this app too: ids of nothing stand in for their parameters.
  exampleFixtures = { connectionId: created.json<{ id: string }>().id, accountId: randomUUID(), syncId: randomUUID(), webhookId: randomUUID(), presetId: randomUUID(), keyId: randomUUID(), ruleId: randomUUID(), partyId: 'nobody', transactionId: randomUUID() };
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

test("another tenant's key gets 404 for every product operation on the owner's ids, and no owner id from any listing", async () => {
  const report = await expectTenantIsolation(stack.app, { intruderKey: intruder.key, fixtures });
  expect(report.notFound).toEqual(
    expect.arrayContaining([
      'GET /v1/connections/{connectionId}',
      'POST /v1/connections/{connectionId}/sync',
      'POST /v1/connections/{connectionId}/renew',
      'POST /v1/connections/{connectionId}/disconnect',
      'PATCH /v1/accounts/{accountId}',
      'GET /v1/accounts/{accountId}/transactions',
      'GET /v1/syncs/{syncId}',
      'DELETE /v1/webhooks/{webhookId}',
      'GET /v1/webhooks/{webhookId}/deliveries',
      'POST /v1/accounts/{accountId}/statements',
      'GET /v1/accounts/{accountId}/statements',
      'DELETE /v1/csv-presets/{presetId}',
      'DELETE /v1/tenant/keys/{keyId}',
      'DELETE /v1/matching-rules/{ruleId}',
      'GET /v1/parties/{partyId}',
      'DELETE /v1/parties/{partyId}',
      'PATCH /v1/transactions/{transactionId}',
    ]),
  );
  expect(report.noLeak).toEqual(expect.arrayContaining(['GET /v1/connections', 'GET /v1/accounts', 'GET /v1/transactions/sync', 'GET /v1/tenant', 'GET /v1/webhooks', 'GET /v1/csv-presets', 'GET /v1/tenant/keys', 'GET /v1/audit-events', 'GET /v1/matching-rules', 'GET /v1/parties']));
  expect(report.skipped).toEqual(
    expect.arrayContaining(['GET /health', 'POST /codec/decode', 'POST /v1/connections', 'POST /v1/webhooks', 'GET /v1/connections/{connectionId}/renew-link']),
  );
  // Every documented operation is accounted for, routes added later included.
  const operations = (await loadOperations(stack.app)).map((operation) => operation.id);
  expect([...report.notFound, ...report.noLeak, ...report.skipped].sort()).toEqual(operations.sort());
  // The owner still sees its own, untouched by the intruder's attempts.
  const own = await stack.app.inject({ method: 'GET', url: `/v1/connections/${fixtures.connectionId}`, headers: stack.headers });
  expect(own.json()).toMatchObject({ status: 'active' });
});

test('a route that reads by id without the tenant scope is caught', async () => {
  const app = await api.build({
    routes: async (scope) => {
      scope.get<{ Params: { connectionId: string } }>(
        '/v1/leaky/:connectionId',
        { schema: { params: { type: 'object', properties: { connectionId: { type: 'string', format: 'uuid' } } } } },
        async (request) => (await scope.deps.database.db.select().from(bankConnections).where(eq(bankConnections.id, request.params.connectionId)))[0] ?? {},
      );
    },
  });
  await expect(expectTenantIsolation(app, { intruderKey: apiIntruder.key, fixtures: exampleFixtures })).rejects.toThrow(/GET \/v1\/leaky\/\{connectionId\} with the owner's ids answered the intruder 200/);
});

test('a listing that shows other tenants\' rows is caught', async () => {
  const app = await api.build({
    routes: async (scope) => {
      scope.get('/v1/leaky-list', async () => ({ connections: await scope.deps.database.db.select({ id: bankConnections.id }).from(bankConnections) }));
    },
  });
  await expect(expectTenantIsolation(app, { intruderKey: apiIntruder.key, fixtures: exampleFixtures })).rejects.toThrow(/GET \/v1\/leaky-list showed the intruder the owner's/);
});

test('a path parameter without a fixture fails the check, so new routes cannot escape it', async () => {
  const app = await api.build({
    routes: async (scope) => {
      scope.get('/v1/widgets/:widgetId', { schema: { params: { type: 'object', properties: { widgetId: { type: 'string', format: 'uuid' } } } } }, async () => ({}));
    },
  });
  await expect(expectTenantIsolation(app, { intruderKey: apiIntruder.key, fixtures: exampleFixtures })).rejects.toThrow(
    'No fixture for the path parameters widgetId (GET /v1/widgets/{widgetId}): add the owner\'s id for each to the isolation test.',
  );
});

/** A second tenant in the stack's database, with its key. */
async function stackTenant(on: LifecycleStack, name: string): Promise<TestTenant> {
  const { tenantId, apiKey } = await createTenant(on.database.db, name);
  return { id: tenantId, keyId: apiKey.keyId, key: apiKey.key, headers: { authorization: `Bearer ${apiKey.key}` } };
}
