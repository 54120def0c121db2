import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Secrets } from '../domain/secrets.js';
import type { DatabaseHandle } from '../db/client.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BankClock } from '../time/bank-clock.js';
import type { ConnectionService } from './services/connections.js';
import type { RematchService } from './services/rematching.js';
import { registerDomainMetrics } from '../metrics/domain.js';
import type { Metrics } from '../metrics/registry.js';
import { authPlugin } from './plugins/auth.js';
import { httpMetricsPlugin } from './plugins/http-metrics.js';
import { openApiPlugin } from './plugins/openapi.js';
import { frameworkErrors, problemsPlugin } from './plugins/problems.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { requestId } from './request-id.js';
import { requestLogView } from './request-log.js';
import { callbackRoutes } from './routes/callback.js';
import { accountRoutes } from './routes/accounts.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditEventRoutes } from './routes/audit-events.js';
import { codecRoutes } from './routes/codec.js';
import { connectionRoutes } from './routes/connections.js';
import { healthRoutes } from './routes/health.js';
import { institutionRoutes } from './routes/institutions.js';
import { matchingRuleRoutes } from './routes/matching-rules.js';
import { metricsRoutes } from './routes/metrics.js';
import { partyRoutes } from './routes/parties.js';
import { csvPresetRoutes } from './routes/csv-presets.js';
import { statementRoutes } from './routes/statements.js';
import { syncRoutes } from './routes/syncs.js';
import { tenantRoutes } from './routes/tenant.js';
import { transactionFeedRoutes } from './routes/transaction-feed.js';
import { transactionRoutes } from './routes/transactions.js';
import { webhookRoutes } from './routes/webhooks.js';
import { schemaController } from './validation.js';
import { closeRequestSchemas } from './closed-schemas.js';

/** What routes reach through `app.deps`. */
export interface AppDeps {
  database: DatabaseHandle;
  temporal: Client;
  /** The payload codec of the Temporal data converter, for the codec endpoint. */
  codec: PayloadCodec;
  metrics: Metrics;
  /** The banks offered, and their providers. */
  providers: ProviderRegistry;
  /** What the ledger can ask of a connection (link, renew, sync, disconnect). */
  connections: ConnectionService;
  /** Matches a tenant's existing transactions again after its parties, rules or settings changed. */
  rematch: RematchService;
  /** Seals webhook signing secrets and checks renewal links (the keyring). */
  secrets: Secrets;
  /** The banks' time (the identity in production): which days a bank serves now. */
  clock: BankClock;
}

/** The API's settings (config.ts has their defaults and environment variables). */
export interface AppSettings {
  rateLimitPerMinute: number;
  /** Fastify's trustProxy: whose X-Forwarded-For names the client (false: nobody's). */
  trustProxy?: false | number | string[];
  /** Bearer token /metrics asks for; open without one. */
  metricsToken?: string;
  /** Origins of the Temporal UI allowed to call the codec endpoint. */
  codecCorsOrigins: string[];
  /** Bearer token the codec endpoint asks for; loopback clients only without one. */
  codecToken?: string;
  /** ALLOW_INSECURE_WEBHOOKS: webhook URLs may be plain http to loopback hosts (development). */
  allowInsecureWebhooks: boolean;
  loggerInstance?: FastifyBaseLogger;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Fastify's trustProxy; a hop count as the function proxy-addr makes of one (its types take no number). */
function proxyTrust(trust: AppSettings['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : (trust ?? false);
}

/** The ledger API as a Fastify instance, not yet listening: main.ts listens, tests `inject()`. */
export async function buildApp(deps: AppDeps, settings: AppSettings) {
  const app = Fastify({
    // Request lines without the client's full address (personal data).
    loggerInstance: settings.loggerInstance?.child({}, { serializers: { req: requestLogView } }),
    genReqId: requestId,
    trustProxy: proxyTrust(settings.trustProxy),
    frameworkErrors,
    schemaController,
  });
  app.decorate('deps', deps);
  app.addHook('onRoute', closeRequestSchemas);
  registerDomainMetrics(deps.metrics, deps.database);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Order matters: authentication before the rate limit (which counts per key), both before
  // the error handling that needs the rate limiter, all before the routes they cover.
  await app.register(authPlugin);
  await app.register(rateLimitPlugin, { perMinute: settings.rateLimitPerMinute });
  await app.register(problemsPlugin);
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(openApiPlugin);

  await app.register(healthRoutes);
  await app.register(callbackRoutes);
  await app.register(metricsRoutes, { metrics: deps.metrics, token: settings.metricsToken });
  await app.register(codecRoutes, {
    prefix: '/codec',
    codec: deps.codec,
    corsOrigins: settings.codecCorsOrigins,
    token: settings.codecToken,
  });
  await app.register(tenantRoutes);
  await app.register(apiKeyRoutes);
  await app.register(auditEventRoutes);
  await app.register(institutionRoutes);
  await app.register(connectionRoutes);
  await app.register(syncRoutes);
  await app.register(accountRoutes);
  await app.register(transactionFeedRoutes);
  await app.register(transactionRoutes);
  await app.register(webhookRoutes, { allowInsecure: settings.allowInsecureWebhooks });
  await app.register(statementRoutes);
  await app.register(csvPresetRoutes);
  await app.register(matchingRuleRoutes);
  await app.register(partyRoutes);
  return app;
}
