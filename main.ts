/**
 * `npm start`: bankfeed on the embedded defaults, or on real services where they are configured.
 *
 * Without TEMPORAL_ADDRESS it runs the Temporal dev server as a child process (persisted to
 * DATA_DIR/temporal.db, UI on TEMPORAL_UI_PORT); without DATABASE_URL it opens PGlite in
 * DATA_DIR/pg. BANKFEED_ROLE=all also runs the Demo Bank (a sandbox NextGenPSD2 bank) on DEMOBANK_PORT.
 * BANKFEED_ROLE=api or =worker runs one part only, for deployments that scale them apart.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { buildApp } from './api/app.js';
import { createConnectionService } from './api/services/connections.js';
import { createRematchService } from './api/services/rematching.js';
import { loadConfigOrExit, trustedProxies } from './config.js';
import { openDatabase } from './db/client.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { Metrics } from './metrics/registry.js';
import { startDemoBank } from './demobank/server.js';
import { demoBankSettings } from './demobank/settings.js';
import { createInstitutionRegistry, demoBankInstitutions, readInstitutionsFile } from './providers/institutions.js';
import { createMailer } from './notifications/email.js';
import { embeddedKeyring, parseEncryptionKeys } from './secrets/encryption-keys.js';
import { sealPlainEmails } from './notifications/recipients.js';
import { createTenant, hasTenants } from './tenants/store.js';
import { followedClock, realClock } from './time/bank-clock.js';
import { resolveTemporalCli } from './temporal/cli.js';
import { encryptingDataConverter } from './temporal/data-converter.js';
import { startDevServer } from './temporal/dev-server.js';
import { EncryptionCodec } from './temporal/encryption-codec.js';
import { temporalLogger } from './temporal/logger.js';
import { ensureSearchAttributes } from './temporal/search-attributes.js';
import { createWorker } from './worker.js';

const config = loadConfigOrExit();

// JSON lines for log shippers; readable lines for a person at a terminal.
const log = pino({ level: config.LOG_LEVEL, ...(process.stdout.isTTY && { transport: { target: 'pino-pretty' } }) });
// bankfeed decides when to stop, so the Temporal runtime must not act on signals by itself. Its
// INFO lines (bundler output, worker state changes) are noise unless someone is debugging.
const temporalLevel = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? config.LOG_LEVEL : 'warn';
Runtime.install({ shutdownSignals: [], logger: temporalLogger(log.child({ component: 'temporal' }, { level: temporalLevel })) });

/** What to undo on shutdown, newest first. */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  for (const { name, run } of cleanups.reverse()) {
    try {
      await run();
    } catch (error) {
      log.error({ err: error }, `stopping ${name} failed`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping ??= shutdown(signal).finally(() => process.exit(0));
  });
}

try {
  const runsWorker = config.BANKFEED_ROLE !== 'api';
  const runsApi = config.BANKFEED_ROLE !== 'worker';

  const embeddedDatabase = !config.DATABASE_URL;
  if (embeddedDatabase) {
    const lock = await lockDataDir(config.DATA_DIR, 'npm start');
    cleanups.push({ name: 'data folder lock', run: lock.release });
  }

  // loadConfig made sure ENCRYPTION_KEYS is set wherever a generated key would not do.
  let keyring;
  if (config.ENCRYPTION_KEYS) keyring = parseEncryptionKeys(config.ENCRYPTION_KEYS);
  else {
    const generated = await embeddedKeyring(config.DATA_DIR);
    if (generated.created) log.warn(`generated an encryption key in ${generated.path}: back it up with the data, it decrypts it`);
    keyring = generated.keyring;
  }
  const dataConverter = encryptingDataConverter(keyring);

  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const executable = await resolveTemporalCli({ log: (line) => log.info(line) });
    await mkdir(config.DATA_DIR, { recursive: true });
    const devServer = await startDevServer({
      executable,
      dbFilename: join(config.DATA_DIR, 'temporal.db'),
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      // The embedded UI decodes payloads through the API's codec endpoint.
      extraArgs: ['--ui-codec-endpoint', `${config.PUBLIC_URL}/codec`],
      ownProcessGroup: true,
    });
    cleanups.push({ name: 'Temporal dev server', run: devServer.stop });
    temporalAddress = devServer.address;
  }

  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: embeddedDatabase ? join(config.DATA_DIR, 'pg') : undefined,
    schemaName: config.DATABASE_SCHEMA,
  });
  cleanups.push({ name: 'database', run: () => database.close() });
  await database.migrate();
  const sealedEmails = await sealPlainEmails(database.db, keyring);
  if (sealedEmails > 0) log.info({ sealedEmails }, 'sealed reminder e-mail addresses stored before they were encrypted');
  // A first embedded start gets a tenant to try the API with; production tenants come from npm run tenant.
  const demo = embeddedDatabase && !(await hasTenants(database.db)) ? await createTenant(database.db, 'Demo') : undefined;

  const connection = await Connection.connect({ address: temporalAddress });
  cleanups.push({ name: 'Temporal client', run: () => connection.close() });
  if (config.TEMPORAL_ADDRESS) {
    const warning = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    if (warning) log.warn(warning);
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });

  // The sandbox bank comes with the embedded stack, admin surface included (clock, faults, truth).
  const demoBank = config.BANKFEED_ROLE === 'all'
    ? await startDemoBank({ ...demoBankSettings(config), admin: true, logger: log.child({ component: 'demobank' }, { level: 'warn' }) })
    : undefined;
  if (demoBank) cleanups.push({ name: 'Demo Bank', run: () => demoBank.close() });
  const institutions = config.INSTITUTIONS_FILE
    ? readInstitutionsFile(config.INSTITUTIONS_FILE)
    : demoBank
      ? demoBankInstitutions(demoBank.url, config.DEMOBANK_MAX_CONSENT_DAYS)
      : [];
  if (institutions.length === 0) log.warn('no institutions are configured: set INSTITUTIONS_FILE');
  const providers = createInstitutionRegistry(institutions);
  // The embedded Demo Bank's days are the days bankfeed imports: moving its clock moves them too.
  const clock = demoBank && !config.INSTITUTIONS_FILE ? followedClock(demoBank.clock) : realClock;

  if (runsWorker) {
    const mailer = config.SMTP_URL ? createMailer(config.SMTP_URL, config.SMTP_FROM) : undefined;
    if (mailer) cleanups.push({ name: 'mailer', run: async () => mailer.close() });
    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    cleanups.push({ name: 'worker connection', run: () => workerConnection.close() });
    const worker = await createWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter,
      database,
      providers,
      clock,
      secrets: keyring,
      publicUrl: config.PUBLIC_URL,
      allowInsecureWebhooks: config.ALLOW_INSECURE_WEBHOOKS === '1',
      mailer,
    });
    const running = worker.run();
    cleanups.push({
      name: 'worker',
      run: async () => {
        worker.shutdown();
        await running;
      },
    });
    running.catch((error: unknown) => {
      log.fatal({ err: error }, 'the worker stopped');
      process.kill(process.pid, 'SIGTERM');
    });
  }

  if (runsApi) {
    const app = await buildApp(
      {
        database,
        temporal: client,
        codec: new EncryptionCodec(keyring),
        metrics: new Metrics(),
        providers,
        connections: createConnectionService({ database, temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE, secrets: keyring }),
        rematch: createRematchService({ temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
        secrets: keyring,
        clock,
      },
      {
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        trustProxy: trustedProxies(config.TRUST_PROXY),
        metricsToken: config.METRICS_TOKEN,
        codecCorsOrigins: config.CODEC_CORS_ORIGINS?.split(',') ?? [
          `http://localhost:${config.TEMPORAL_UI_PORT}`,
          `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
        ],
        codecToken: config.CODEC_TOKEN,
        allowInsecureWebhooks: config.ALLOW_INSECURE_WEBHOOKS === '1',
        loggerInstance: log,
      },
    );
    cleanups.push({ name: 'API', run: () => app.close() });
    await app.listen({ host: config.HOST, port: config.PORT });
  }

  const lines = [
    'bankfeed is running',
    runsApi && `  API          ${config.PUBLIC_URL}  (docs: /docs, health: /health)`,
    !config.TEMPORAL_ADDRESS && `  Temporal UI  http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    `  Temporal     ${temporalAddress}  (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})`,
    `  Database     ${config.DATABASE_URL ? 'Postgres' : `PGlite in ${join(config.DATA_DIR, 'pg')}`}, schema ${config.DATABASE_SCHEMA}`,
    demoBank && `  Demo Bank    ${demoBank.url}  (user embedded, password and one-time code 12345; admin /_demobank)`,
    ...(demo
      ? [
          '',
          `Created the tenant "Demo" (${demo.tenantId}) for a first try. Its API key, shown only this once:`,
          `  ${demo.apiKey.key}`,
          `  curl -H "Authorization: Bearer ${demo.apiKey.key}" ${config.PUBLIC_URL}/v1/tenant`,
          'More tenants and keys: stop bankfeed, then npm run tenant -- create <name> (or -- key <tenantId>).',
          '',
        ]
      : []),
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.filter(Boolean).join('\n'));
} catch (error) {
  log.fatal({ err: error }, 'start-up failed');
  stopping ??= shutdown('start-up failure').finally(() => process.exit(1));
}
