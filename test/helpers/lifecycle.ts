/**
 * The whole stack of a connection's life, in one test file: a Demo Bank whose clock runs
 * `scale` times faster than real time, bankfeed's activities on the same clock mapping, the
 * workflow with timings scaled by the same factor, the API (for the bank callback) on a random
 * port, and helpers to link a connection through the bank's login pages.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../api/app.js';
import { createConnectionService } from '../../api/services/connections.js';
import { createRematchService, type RematchServiceDeps } from '../../api/services/rematching.js';
import { bankAccounts, connectionAccounts, bankConnections } from '../../db/schema.js';
import { createTenant } from '../../tenants/store.js';
import { createInstitutionRegistry, demoBankInstitutions } from '../../providers/institutions.js';
import type { DemoBankOptions } from '../../demobank/server.js';
import { Metrics } from '../../metrics/registry.js';
import { formatEncryptionKeys } from '../../secrets/encryption-keys.js';
import { scaledClock } from '../../time/bank-clock.js';
import { createWorker } from '../../worker.js';
import type { Mailer } from '../../notifications/email.js';
import type { ConnectionStatus } from '../../domain/connection-status.js';
import { defaultTimings, scaleTimings, type Timings } from '../../workflows/timings.js';
import { createTestDatabase } from './database.js';
import { PSU_IP, startTestBank, type Login, type TestBank } from './demobank.js';
import { connectTestTemporal, NAMESPACE } from './temporal.js';

export const INSTITUTION = 'DEMOBANK';

export interface StackOptions {
  /** Bank seconds per real second; 86,400 makes a day pass every second. */
  scale: number;
  bank?: DemoBankOptions;
  timings?: Partial<Timings>;
  /** Run the worker in this process (default), or leave that to the test (workerEnv() configures one elsewhere). */
  inProcessWorker?: boolean;
  /** A bank started elsewhere (another process) instead of one in this process; its clock must match `scale` and `origin`. */
  bankAt?: TestBank;
  /** The real instant bank time starts from (given to `bankAt` as its start). Default: now. */
  origin?: Date;
  /** Outside vitest (benchmarks): the Postgres URL and the Temporal server to use. */
  databaseUrl?: string;
  temporalAddress?: string;
  /** Webhooks to loopback receivers over plain http (ALLOW_INSECURE_WEBHOOKS=1), for tests that run one; off as in production. */
  allowInsecureWebhooks?: boolean;
  /** Sends the worker's e-mail (say a mailer on an SMTP server the test started); none: no e-mail. */
  mailer?: Mailer;
  /** Re-matching in batches of this size and runs of so many batches (production: 1,000 and 100). */
  rematchBatching?: RematchServiceDeps['batching'];
}

export async function startLifecycleStack(options: StackOptions) {
  const { scale, bank: bankOptions = {}, timings: overrides = {}, inProcessWorker = true, allowInsecureWebhooks = false } = options;
  const origin = options.origin ?? new Date();
  const maxConsentDays = bankOptions.maxConsentDays ?? 90;
  const bank = options.bankAt ?? (await startTestBank({ ...bankOptions, start: origin, clockScale: scale }));
  const clock = scaledClock(scale, origin);
  const database = await createTestDatabase(options.databaseUrl);
  const temporal = await connectTestTemporal(options.temporalAddress);
  // One keyring for secrets in Postgres and Temporal payloads, as in production.
  const secrets = temporal.keyring;
  const timings: Timings = { ...scaleTimings(defaultTimings, scale), ...overrides };

  const providers = createInstitutionRegistry(demoBankInstitutions(bank.url, maxConsentDays));
  const connections = createConnectionService({ database, temporal: temporal.client, taskQueue: temporal.taskQueue, secrets, timings });
  const app = await buildApp(
    {
      database,
      temporal: temporal.client,
      codec: temporal.codec,
      metrics: new Metrics(),
      providers,
      connections,
      rematch: createRematchService({ temporal: temporal.client, taskQueue: temporal.taskQueue, batching: options.rematchBatching }),
      secrets,
      clock,
    },
    { rateLimitPerMinute: 1_000_000, codecCorsOrigins: [], allowInsecureWebhooks },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const publicUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createWorker({
      connection: temporal.workerConnection,
      namespace: NAMESPACE,
      taskQueue: temporal.taskQueue,
      dataConverter: temporal.dataConverter,
      database,
      providers,
      clock,
      secrets,
      publicUrl,
      allowInsecureWebhooks,
      mailer: options.mailer,
    });
    running = worker.run();
  };
  if (inProcessWorker) await startWorker();

  const { tenantId, apiKey } = await createTenant(database.db, `Tenant ${randomUUID()}`);
  const tenant = { id: tenantId };

  /** Follows an authorization URL through the bank's pages and the callback; the callback's redirect target. */
  async function authorize(consentId: string, login?: Login): Promise<Response> {
    const url = await connections.authorizationUrl(consentId, 30_000);
    if (!url) throw new Error(`no authorization URL for consent ${consentId}`);
    const callback = await bank.authorise(url, login);
    return fetch(callback, { redirect: 'manual' });
  }

  return {
    app,
    bank,
    clock,
    database,
    temporal,
    timings,
    secrets,
    connections,
    tenantId: tenant.id,
    /** Where the API listens, the tenant's key, and headers that authenticate with it. */
    apiUrl: publicUrl,
    apiKey: apiKey.key,
    headers: { authorization: `Bearer ${apiKey.key}` },
    authorize,

    /** Calls the API over HTTP as the stack's tenant (or the holder of `key`): the JSON answer, or an error saying what came back. */
    async api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, key = apiKey.key): Promise<T> {
      const response = await fetch(`${publicUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },

    /**
     * A connection linked through the login pages (all accounts shared unless `login.choose` says
     * otherwise), for the stack's tenant or `tenantId`.
     */
    async link(options: { login?: Login; historyDays?: number; untilLastMidnight?: boolean; notificationEmail?: string; tenantId?: string } = {}) {
      const { connectionId, consentId } = await connections.create({
        tenantId: options.tenantId ?? tenant.id,
        institutionId: INSTITUTION,
        historyDays: options.historyDays,
        untilLastMidnight: options.untilLastMidnight,
        redirectUrl: 'https://ledger.example/banking/done',
        notificationEmail: options.notificationEmail,
        psuIpAddress: PSU_IP,
      });
      const landing = await authorize(consentId, options.login);
      return { connectionId, consentId, landing };
    },

    async connection(connectionId: string) {
      const [row] = await database.db.select().from(bankConnections).where(eq(bankConnections.id, connectionId));
      return row!;
    },

    /** The accounts the connection has attached, each with the provider's id under its current consent. */
    accounts: async (connectionId: string) =>
      (
        await database.db
          .select({ account: bankAccounts, providerAccountId: connectionAccounts.providerAccountId })
          .from(connectionAccounts)
          .innerJoin(bankAccounts, eq(bankAccounts.id, connectionAccounts.accountId))
          .where(eq(connectionAccounts.connectionId, connectionId))
          .orderBy(bankAccounts.createdAt, bankAccounts.iban)
      ).map(({ account, providerAccountId }) => ({ ...account, providerAccountId })),

    /** Polls Postgres until the connection has `status` (or one of them, and `also` holds), or fails after `timeoutMs`. */
    async waitFor(
      connectionId: string,
      status: ConnectionStatus | ConnectionStatus[],
      also: (row: typeof bankConnections.$inferSelect) => boolean = () => true,
      timeoutMs = 60_000,
    ) {
      const wanted = [status].flat();
      let last: typeof bankConnections.$inferSelect | undefined;
      return until(async () => {
        [last] = await database.db.select().from(bankConnections).where(eq(bankConnections.id, connectionId));
        return last && wanted.includes(last.status) && also(last) ? last : undefined;
      }, timeoutMs, () => `connection ${connectionId} did not reach ${wanted.join(' or ')} (it is ${last?.status ?? 'missing'}, last synced ${last?.lastSyncAt?.toISOString() ?? 'never'})`);
    },

    /** The environment of test/fixtures/worker-process.ts for this stack (Postgres only: PGlite is one process's). */
    workerEnv(): NodeJS.ProcessEnv {
      return {
        DATABASE_URL: database.url,
        DATABASE_SCHEMA: database.schemaName,
        TEMPORAL_ADDRESS: temporal.address,
        TASK_QUEUE: temporal.taskQueue,
        DEMOBANK_URL: bank.url,
        MAX_CONSENT_DAYS: String(maxConsentDays),
        CLOCK_SCALE: String(scale),
        CLOCK_ORIGIN: origin.toISOString(),
        ENCRYPTION_KEYS: formatEncryptionKeys(temporal.keyring.keys),
        PUBLIC_URL: publicUrl,
        ALLOW_INSECURE_WEBHOOKS: allowInsecureWebhooks ? '1' : '0',
      };
    },

    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    startWorker,

    async close() {
      worker?.shutdown();
      await running;
      await app.close();
      await temporal.close();
      await bank.close();
      await database.drop();
    },
  };
}

export type LifecycleStack = Awaited<ReturnType<typeof startLifecycleStack>>;

/** Polls `probe` every 100 ms until it answers something, or throws `message()` after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, message: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${message()} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
