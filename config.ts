import { isIP } from 'node:net';
import { Type, type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { ENCRYPTION_KEYS_PATTERN, parseEncryptionKeys } from './secrets/encryption-keys.js';

/**
 * Every environment variable bankfeed reads, with its default and what it expects.
 * `.env.example` documents the same list (a test keeps the two in step).
 */
// Each description says what a value must look like, then what the variable is for: it is
// printed after "expected" when a value is wrong.
const port = (fallback: number, purpose: string) =>
  Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description: `a TCP port (1-65535): ${purpose}` });
const token = (purpose: string) =>
  Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{16,}$', description: `a secret of at least 16 printable characters without spaces: ${purpose}` }));

export const configSchema = Type.Object({
  BANKFEED_ROLE: Type.Enum(['all', 'api', 'worker'], {
    default: 'all',
    description: 'one of all, api, worker: which parts this process runs (api and worker need DATABASE_URL and TEMPORAL_ADDRESS)',
  }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'a host name or IP address: the interface the API listens on' }),
  PORT: port(3000, 'the ledger API'),
  PUBLIC_URL: Type.String({
    pattern: '^https?://[^\\s/]+(/[^\\s]*[^/\\s])?$',
    default: 'http://localhost:3000',
    description: 'an http(s) URL without a trailing slash: where browsers and banks reach the API (bank callback, links in e-mails)',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], {
    default: 'info',
    description: 'one of fatal, error, warn, info, debug, trace',
  }),
  DATA_DIR: Type.String({ minLength: 1, default: 'data', description: 'a folder path: embedded state (PGlite database, Temporal dev server database, the Demo Bank\'s consents)' }),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL; unset, bankfeed uses embedded PGlite in DATA_DIR/pg' }),
  ),
  DATABASE_SCHEMA: Type.String({
    pattern: '^[a-z_][a-z0-9_]{0,62}$',
    default: 'public',
    description: 'a lower-case SQL identifier: the Postgres schema that holds bankfeed\'s tables',
  }),
  TEMPORAL_ADDRESS: Type.Optional(
    Type.String({ pattern: '^[^\\s:/]+:[0-9]{1,5}$', description: 'host:port of a Temporal frontend; unset, bankfeed starts an embedded dev server' }),
  ),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default', description: 'a Temporal namespace name' }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'bankfeed', description: 'a task queue name: where the bankfeed worker polls' }),
  TEMPORAL_CLI_PATH: Type.Optional(Type.String({ minLength: 1, description: 'the path of a temporal CLI binary: runs the embedded dev server' })),
  TEMPORAL_PORT: port(7233, 'gRPC of the embedded Temporal dev server'),
  TEMPORAL_UI_PORT: port(8233, 'web UI of the embedded Temporal dev server'),
  INSTITUTIONS_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'the path of a JSON file listing the banks offered (see README); unset, npm start offers the Demo Bank' }),
  ),
  DEMOBANK_PORT: port(4010, 'the Demo Bank (npm run demobank, and embedded in npm start)'),
  DEMOBANK_ADMIN: Type.Enum(['0', '1'], {
    default: '0',
    description: '0 or 1: whether `npm run demobank` serves the admin surface /_demobank (clock, ground truth, faults); npm start always does',
  }),
  DEMOBANK_SEED: Type.String({ minLength: 1, default: 'demo', description: 'a non-empty text: the Demo Bank invents all its data from it' }),
  DEMOBANK_CLOCK_SCALE: Type.Number({
    exclusiveMinimum: 0,
    default: 1,
    description: 'a positive number: Demo Bank seconds per real second (86400 runs a bank day per second)',
  }),
  DEMOBANK_MAX_CONSENT_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 90,
    description: 'a whole number of days (1-3650): the longest consent the Demo Bank grants, counted from authorisation',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 600,
    description: 'a positive integer: API requests per minute per API key (per IP without a key)',
  }),
  TRUST_PROXY: Type.Optional(
    Type.String({
      pattern: '^([0-9]{1,2}|[0-9A-Za-z:./]+(, *[0-9A-Za-z:./]+)*)$',
      description:
        'a hop count (1: one reverse proxy in front) or comma-separated proxy addresses/CIDRs (10.0.0.0/8, loopback, uniquelocal): whose X-Forwarded-For decides the client IP; unset, none (the connecting address is the client)',
    }),
  ),
  METRICS_TOKEN: token('the bearer token GET /metrics asks for; unset, /metrics is open (keep it off the internet)'),
  ENCRYPTION_KEYS: Type.Optional(
    Type.String({
      pattern: ENCRYPTION_KEYS_PATTERN,
      description:
        'comma-separated keyId:base64key entries, each key 32 random bytes (openssl rand -base64 32), the first one encrypting: keys of secrets in Postgres and of Temporal payloads; unset with embedded PGlite, a key is generated into DATA_DIR',
    }),
  ),
  CODEC_CORS_ORIGINS: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/,]+(,https?://[^\\s/,]+)*$',
      description: 'comma-separated origins (http(s)://host[:port]) of Temporal UIs that may call the codec endpoint; unset, the embedded UI on TEMPORAL_UI_PORT',
    }),
  ),
  SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://[^\\s]+$',
      description: 'an smtp:// or smtps:// URL, credentials included (smtps://user:pass@mail.example:465): the server reminder e-mails go through; unset, no e-mail is sent',
    }),
  ),
  SMTP_FROM: Type.String({
    minLength: 3,
    default: 'bankfeed <bankfeed@localhost>',
    description: 'an e-mail address, optionally with a name ("Bankfeed <bankfeed@ledger.example>"): the sender of reminder e-mails',
  }),
  ALLOW_INSECURE_WEBHOOKS: Type.Enum(['0', '1'], {
    default: '0',
    description:
      '0 or 1: 1 lets webhook URLs be plain http and point at loopback addresses (a receiver on this machine, for development); private, link-local and other internal addresses stay refused',
  }),
  CODEC_TOKEN: token('the bearer token the codec endpoint (/codec) asks for; unset, it answers loopback clients only'),
});

export type Config = Static<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from environment variables; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(configSchema.properties) as unknown as [string, TSchema & { description: string }][]) {
    const raw = env[name];
    // An empty variable (FOO= in a .env file) means "not set", as in most tools.
    if (raw === undefined || raw === '') {
      if ('default' in schema) config[name] = schema.default;
      continue;
    }
    const value = Value.Convert(schema, raw);
    if (Value.Check(schema, value)) config[name] = value;
    else problems.push(`${name}=${JSON.stringify(raw)} is not valid: expected ${schema.description}`);
  }
  if (config.BANKFEED_ROLE !== 'all') {
    // The embedded PGlite and dev server live inside one process; split roles share real ones.
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS'])
      if (!config[name]) problems.push(`${name} is not set: BANKFEED_ROLE=${String(config.BANKFEED_ROLE)} needs it (only "all" runs embedded services)`);
  }
  if (typeof config.TRUST_PROXY === 'string') {
    const wrong = proxyProblem(config.TRUST_PROXY);
    if (wrong) problems.push(`TRUST_PROXY=${JSON.stringify(config.TRUST_PROXY)} is not valid: ${wrong}`);
  }
  if (typeof config.ENCRYPTION_KEYS === 'string') {
    try {
      parseEncryptionKeys(config.ENCRYPTION_KEYS);
    } catch (error) {
      problems.push(`ENCRYPTION_KEYS is not valid: ${(error as Error).message}`);
    }
  } else if (config.DATABASE_URL) {
    // A generated key is only safe where the data lives: in DATA_DIR, beside PGlite.
    problems.push(
      'ENCRYPTION_KEYS is not set: with DATABASE_URL bankfeed needs its encryption keys from the environment, e.g. ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** The names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY as Fastify's `trustProxy`: false when unset, a hop count, or the trusted addresses. */
export function trustedProxies(value: string | undefined): false | number | string[] {
  if (value === undefined) return false;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

function proxyProblem(value: string): string | undefined {
  const proxies = trustedProxies(value);
  if (typeof proxies !== 'object') return undefined;
  for (const proxy of proxies) {
    if (PROXY_RANGE_NAMES.includes(proxy)) continue;
    const [address = '', prefix, ...rest] = proxy.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || rest.length > 0 || (prefix !== undefined && !(/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      return `"${proxy}" is not an IP address, a CIDR range or one of ${PROXY_RANGE_NAMES.join(', ')}`;
    }
  }
  return undefined;
}

/** The configuration of a program's start: a wrong value is printed, and the process exits with 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
