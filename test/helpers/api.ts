import type { FastifyPluginAsync } from 'fastify';
import { buildApp, type AppDeps, type AppSettings } from '../../api/app.js';
import { createConnectionService } from '../../api/services/connections.js';
import { createRematchService } from '../../api/services/rematching.js';
import { Metrics } from '../../metrics/registry.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { createTenant } from '../../tenants/store.js';
import { realClock } from '../../time/bank-clock.js';
import { createTestDatabase } from './database.js';
import { connectTestTemporal } from './temporal.js';

export interface TestTenant {
  id: string;
  keyId: string;
  key: string;
  /** Headers that authenticate as this tenant: `app.inject({ headers: tenant.headers, … })`. */
  headers: { authorization: string };
}

export interface TestAppOptions {
  settings?: Partial<AppSettings>;
  /** Replacements for the real dependencies, e.g. an unreachable Temporal client. */
  deps?: Partial<AppDeps>;
  /** More routes, registered the way api/app.ts registers its own. */
  routes?: FastifyPluginAsync;
}

// High enough that no test meets the rate limit unless it asks for a lower one; webhooks as in production.
const TEST_SETTINGS: AppSettings = { rateLimitPerMinute: 1_000_000, codecCorsOrigins: ['http://localhost:8233'], allowInsecureWebhooks: false };

/**
 * The API on the test file's own database and the run's Temporal dev server (payloads
 * encrypted), with one tenant and its key ready. `build()` makes more apps on the same
 * dependencies (other settings, broken deps); `close()` ends them all.
 */
export async function startTestApi(options: TestAppOptions = {}) {
  const database = await createTestDatabase();
  const temporal = await connectTestTemporal();
  const apps: Awaited<ReturnType<typeof buildApp>>[] = [];

  const build = async ({ settings, deps, routes }: TestAppOptions = {}) => {
    // Metrics are per app: an app registers its HTTP metrics in them.
    const app = await buildApp(
      {
        database,
        temporal: temporal.client,
        codec: temporal.codec,
        metrics: new Metrics(),
        // No banks here: routes that link one are tested on the lifecycle stack.
        providers: createProviderRegistry([]),
        connections: createConnectionService({ database, temporal: temporal.client, taskQueue: temporal.taskQueue, secrets: temporal.keyring }),
        rematch: createRematchService({ temporal: temporal.client, taskQueue: temporal.taskQueue }),
        secrets: temporal.keyring,
        clock: realClock,
        ...deps,
      },
      { ...TEST_SETTINGS, ...settings },
    );
    if (routes) await app.register(routes);
    apps.push(app);
    return app;
  };

  const addTenant = async (name: string): Promise<TestTenant> => {
    const { tenantId, apiKey } = await createTenant(database.db, name);
    return { id: tenantId, keyId: apiKey.keyId, key: apiKey.key, headers: { authorization: `Bearer ${apiKey.key}` } };
  };

  return {
    app: await build(options),
    build,
    database,
    temporal,
    tenant: await addTenant('Tenant A'),
    addTenant,
    async close() {
      for (const app of apps) await app.close();
      await temporal.close();
      await database.drop();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
