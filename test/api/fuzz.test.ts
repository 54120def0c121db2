import { afterAll, beforeAll, expect, test } from 'vitest';
import { revokeApiKey } from '../../tenants/store.js';
import { exampleRoutes } from '../fixtures/example-routes.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { fuzzApi, type FuzzOptions } from '../helpers/fuzz.js';
import { loadOperations } from '../helpers/openapi.js';

let api: TestApi;
let options: FuzzOptions;

beforeAll(async () => {
  api = await startTestApi({ routes: exampleRoutes });
  const revoked = await api.addTenant('Revoked');
  await revokeApiKey(api.database.db, revoked.keyId);
  options = { key: api.tenant.key, revokedKey: revoked.key, seed: 20_241_122, minRequests: 2000, perOperation: 150 };
});

afterAll(async () => {
  await api?.close();
});

test('thousands of generated malformed requests across every documented route: no 5xx, every error problem+json', async () => {
  const report = await fuzzApi(api.app, options);
  console.log(`fuzz: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}`);
  expect(report.requests).toBeGreaterThanOrEqual(2000);
  const operations = (await loadOperations(api.app)).map((operation) => operation.id);
  expect(operations).toContain('GET /v1/examples/connections/{connectionId}');
  expect(Object.keys(report.byOperation).sort()).toEqual(operations.sort());
  for (const [operation, count] of Object.entries(report.byOperation)) expect(count, operation).toBeGreaterThanOrEqual(150);
  // The requests got past each gate: authentication, routing, parsing, validation, handlers.
  for (const status of [200, 400, 401, 404, 405, 413, 415]) expect(report.byStatus[status], `status ${status}`).toBeGreaterThan(0);
}, 600_000);

test('the fuzz finds a route that lets a malformed id through to Postgres', async () => {
  const app = await api.build({
    routes: async (scope) => {
      // No params schema: whatever the client sends goes into a uuid comparison.
      scope.get<{ Params: { id: string } }>('/v1/fragile/:id', async (request) => {
        await scope.deps.database.db.query.bankConnections.findFirst({ where: (connections, { eq }) => eq(connections.id, request.params.id) });
        return {};
      });
    },
  });
  await expect(fuzzApi(app, { ...options, minRequests: 0, perOperation: 300 })).rejects.toThrow(/^fuzzing GET \/v1\/fragile\/\{id\} .* answered 500/);
  // It fuzzes every documented operation before reaching the fragile one: its time grows with the API.
}, 600_000);
