import { recordAuditEvent } from '../audit/trail.js';
import type { Database } from '../db/client.js';
import { createTenant, issueApiKey, listTenants, revokeApiKey } from './store.js';

export const USAGE = `Usage: npm run tenant -- <command>
  create <name>      create a tenant and its first API key (shown once)
  list               list tenants and their keys (display prefixes only)
  key <tenantId>     issue another API key for a tenant (shown once)
  revoke <keyId>     revoke an API key for good`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A change the command line made, in the audit trail: no key made it, so it has no actor. */
const auditKey = (db: Database, action: 'api_key.created' | 'api_key.revoked', key: { tenantId: string; id: string; prefix: string }) =>
  recordAuditEvent(db, { tenantId: key.tenantId, actor: null, requestId: null, action, target: { type: 'api_key', id: key.id }, details: { prefix: key.prefix, via: 'command line' } });

/** Runs `work` in one database transaction: a command's change and its audit event commit together. */
const together = <T>(db: Database, work: (tx: Database) => Promise<T>) => db.transaction((tx) => work(tx as unknown as Database));

/** Runs one `npm run tenant` command; returns the exit code (0 done, 1 refused, 2 usage). */
export async function runTenantCommand(args: string[], db: Database, print: (line: string) => void): Promise<number> {
  const [command, argument, ...extra] = args;
  if (extra.length > 0) return usage(print);
  switch (command) {
    case 'create': {
      const name = argument?.trim();
      if (!name) return usage(print);
      const { tenantId, apiKey } = await together(db, async (tx) => {
        const created = await createTenant(tx, name);
        await auditKey(tx, 'api_key.created', { tenantId: created.tenantId, id: created.apiKey.keyId, prefix: created.apiKey.prefix });
        return created;
      });
      print(`Created tenant ${tenantId} "${name}".`);
      printKey(apiKey.keyId, apiKey.key, print);
      return 0;
    }
    case 'list': {
      if (argument !== undefined) return usage(print);
      const tenants = await listTenants(db);
      if (tenants.length === 0) print('No tenants yet: npm run tenant -- create <name>');
      for (const tenant of tenants) {
        print(`${tenant.id}  ${tenant.name}  (created ${tenant.createdAt.toISOString()})`);
        for (const key of tenant.keys)
          print(
            `    key ${key.id}  ${key.prefix}…  created ${key.createdAt.toISOString()}${key.revokedAt ? `  REVOKED ${key.revokedAt.toISOString()}` : ''}`,
          );
      }
      return 0;
    }
    case 'key': {
      if (!argument || !UUID.test(argument)) return refuse(print, `"${argument ?? ''}" is not a tenant id (a UUID; see npm run tenant -- list).`);
      const apiKey = await together(db, async (tx) => {
        const issued = await issueApiKey(tx, argument);
        if (issued) await auditKey(tx, 'api_key.created', { tenantId: issued.tenantId, id: issued.keyId, prefix: issued.prefix });
        return issued;
      });
      if (!apiKey) return refuse(print, `There is no tenant ${argument}.`);
      printKey(apiKey.keyId, apiKey.key, print);
      return 0;
    }
    case 'revoke': {
      if (!argument || !UUID.test(argument)) return refuse(print, `"${argument ?? ''}" is not a key id (a UUID; see npm run tenant -- list).`);
      const key = await together(db, async (tx) => {
        const revoked = await revokeApiKey(tx, argument);
        if (revoked?.revokedNow) await auditKey(tx, 'api_key.revoked', revoked);
        return revoked;
      });
      if (!key) return refuse(print, `There is no API key ${argument}.`);
      print(`Key ${key.id} (${key.prefix}…) of tenant ${key.tenantId} is revoked since ${key.revokedAt!.toISOString()}.`);
      return 0;
    }
    default:
      return usage(print);
  }
}

function printKey(keyId: string, key: string, print: (line: string) => void) {
  print(`API key ${keyId}, shown only this once (bankfeed keeps its hash only):`);
  print(`  ${key}`);
}

function usage(print: (line: string) => void) {
  print(USAGE);
  return 2;
}

function refuse(print: (line: string) => void, message: string) {
  print(message);
  return 1;
}
