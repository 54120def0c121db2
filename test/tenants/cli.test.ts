import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lockDataDir } from '../../db/data-dir-lock.js';
import { runTenantCommand } from '../../tenants/cli.js';
import { findApiKey } from '../../tenants/store.js';
import { auditEvents } from '../../db/schema.js';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await runTenantCommand(args, database.db, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const keyIn = (output: string) => /^ {2}(bfk_\S+)$/m.exec(output)![1]!;
const idAfter = (output: string, label: string) => new RegExp(`${label} ([0-9a-f-]{36})`).exec(output)![1]!;

test('create, key, list and revoke manage tenants and keys; keys are printed once and work', async () => {
  const created = await run('create', 'Acme ApS');
  expect(created.code).toBe(0);
  expect(created.output).toMatch(/^Created tenant [0-9a-f-]{36} "Acme ApS"\.\nAPI key [0-9a-f-]{36}, shown only this once/);
  const tenantId = idAfter(created.output, 'Created tenant');
  const firstKey = keyIn(created.output);
  expect(await findApiKey(database.db, firstKey)).toMatchObject({ tenantId });

  const issued = await run('key', tenantId);
  expect(issued.code).toBe(0);
  const secondKey = keyIn(issued.output);
  const secondKeyId = idAfter(issued.output, 'API key');
  expect(await findApiKey(database.db, secondKey)).toMatchObject({ tenantId, keyId: secondKeyId });

  const listed = await run('list');
  expect(listed.output).toContain(`${tenantId}  Acme ApS`);
  expect(listed.output).toContain(`key ${secondKeyId}  ${secondKey.slice(0, 12)}…`);
  expect(listed.output).not.toContain(secondKey);

  const revoked = await run('revoke', secondKeyId);
  expect(revoked).toEqual({ code: 0, output: expect.stringMatching(new RegExp(`^Key ${secondKeyId} \\(bfk_.{8}…\\) of tenant ${tenantId} is revoked since `)) });
  expect(await findApiKey(database.db, secondKey)).toBeUndefined();
  expect(await findApiKey(database.db, firstKey)).toBeDefined();
  expect((await run('list')).output).toMatch(new RegExp(`key ${secondKeyId} .* REVOKED `));

  // The audit trail has each change once, made by no key; revoking again changes nothing and records nothing.
  expect((await run('revoke', secondKeyId)).code).toBe(0);
  const events = await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
  expect(events.map((event) => [event.action, event.targetId, event.actorKeyId, event.details.via])).toHaveLength(3);
  expect(events.map((event) => [event.action, event.targetId, event.actorKeyId, event.details.via])).toEqual(expect.arrayContaining([
    ['api_key.created', idAfter(created.output, 'API key'), null, 'command line'],
    ['api_key.created', secondKeyId, null, 'command line'],
    ['api_key.revoked', secondKeyId, null, 'command line'],
  ]));
});

test('unknown ids and malformed commands are refused with a message, changing nothing', async () => {
  const nobody = '00000000-0000-4000-8000-000000000000';
  expect(await run('key', nobody)).toEqual({ code: 1, output: `There is no tenant ${nobody}.` });
  expect(await run('revoke', nobody)).toEqual({ code: 1, output: `There is no API key ${nobody}.` });
  expect(await run('key', 'acme')).toEqual({ code: 1, output: expect.stringContaining('"acme" is not a tenant id') });
  expect(await run('revoke')).toEqual({ code: 1, output: expect.stringContaining('"" is not a key id') });
  for (const args of [[], ['create'], ['create', '  '], ['delete', 'x'], ['list', 'extra'], ['create', 'a', 'b']])
    expect(await run(...args), args.join(' ')).toEqual({ code: 2, output: expect.stringMatching(/^Usage: npm run tenant -- <command>/) });
});

test('npm run tenant works on the embedded database, and refuses it while another process holds it', async () => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'bankfeed-tenant-')), 'data');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  const npmRunTenant = (...args: string[]) =>
    promisify(execFile)('npm', ['run', '--silent', 'tenant', '--', ...args], { env }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  const created = await npmRunTenant('create', 'Embedded AG');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/Created tenant .* "Embedded AG"[\s\S]*\n {2}bfk_/);

  const lock = await lockDataDir(dataDir, 'npm start');
  try {
    const refused = await npmRunTenant('list');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`npm start (pid ${process.pid}) is using the embedded database in ${dataDir}`);
  } finally {
    await lock.release();
  }
  // Processes that open PGlite, on a machine shared with the rest of the suite.
}, 180_000);
