/**
 * The upgrade to one account per tenant + IBAN + currency (migration 0006), on a database built
 * by the migrations before it with the state the old model made: the same IBAN linked by two
 * connections, both imported, plus what only one of them had.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, test } from 'vitest';
import { encodeCursor } from '../../api/pagination.js';
import { mergeRanges } from '../../activities/sync-window.js';
import { openDatabase, type DatabaseOptions } from '../../db/client.js';
import { bankAccounts, connectionAccounts, pendingTransactions, removedTransactions, transactions } from '../../db/schema.js';
import { issueApiKey } from '../../tenants/store.js';
import { startTestApi } from '../helpers/api.js';
import { LedgerReplica } from '../helpers/ledger-replica.js';
import { migrateUpTo } from '../helpers/migrations.js';

const postgresUrl = inject('databaseUrl');
const drivers: [string, DatabaseOptions['url']][] = [['PGlite', undefined]];
if (postgresUrl) drivers.push(['Postgres', postgresUrl]);

const IBAN = 'DE89370400440532013000';

describe.each(drivers)('the upgrade to tenant accounts on %s', (_driver, url) => {
  test('merges the twins one connection each made into one account: nothing lost, nothing twice, the ledger told what moved and what went', async () => {
    const schemaName = `upgrade_${randomBytes(4).toString('hex')}`;
    const database = await openDatabase({ url, schemaName, poolSize: 2 });
    const api = await startTestApi({ deps: { database } });
    try {
      await migrateUpTo(database, '0006_tenant_accounts');

      const [tenant, other] = [randomUUID(), randomUUID()];
      const [oldConnection, newConnection, otherConnection] = [randomUUID(), randomUUID(), randomUUID()];
      const [older, newer, single, foreign] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const id = () => randomUUID();
      const t = { keyed: id(), rekeyed: id(), unkeyed: id(), onlyOld: id() };
      const u = { keyed: id(), rekeyed: id(), unkeyed: id(), onlyNew: id(), fromFile: id() };
      const p = { old: id(), twin: id(), onlyNew: id(), settledByTwin: id() };
      const syncId = id();
      await database.db.execute(sql`insert into tenants (id, name) values (${tenant}, 'Firma'), (${other}, 'Other')`);
      await database.db.execute(sql`
        insert into bank_connections (id, tenant_id, institution_id, status, created_at, updated_at) values
          (${oldConnection}, ${tenant}, 'DEMOBANK', 'disconnected', '2026-01-01', '2026-02-01'),
          (${newConnection}, ${tenant}, 'DEMOBANK', 'active', '2026-02-01', '2026-04-30'),
          (${otherConnection}, ${other}, 'DEMOBANK', 'active', '2026-02-01', '2026-04-30')`);
      await database.db.execute(sql`
        insert into bank_accounts (id, connection_id, iban, currency, name, provider_account_id, ledger_account_code, enabled, import_start, last_integration_date, covered_ranges, created_at, updated_at) values
          (${older}, ${oldConnection}, ${IBAN}, 'EUR', 'Girokonto', 'res-old', '1800', true, '2026-01-01', '2026-03-31', '[{"from":"2026-01-01","to":"2026-03-31"}]', '2026-01-01', '2026-02-01'),
          (${newer}, ${newConnection}, 'de89 3704 0044 0532 0130 00', 'EUR', null, 'res-new', '1810', true, '2026-02-01', '2026-04-30', '[{"from":"2026-02-01","to":"2026-04-30"}]', '2026-02-01', '2026-04-30'),
          (${single}, ${newConnection}, 'DE02120300000000202051', 'EUR', 'Tagesgeld', 'res-single', null, true, '2026-02-01', '2026-04-30', '[]', '2026-02-01', '2026-04-30'),
          (${foreign}, ${otherConnection}, ${IBAN}, 'EUR', null, 'res-foreign', null, true, '2026-02-01', '2026-04-30', '[]', '2026-02-01', '2026-04-30')`);
      const row = (txId: string, accountId: string, key: string | null, fingerprint: string, date: string, amount: string, source = 'feed') =>
        sql`(${txId}, ${accountId}, ${key}, ${fingerprint}, ${date}::date, ${amount}::numeric, 'EUR', ${source})`;
      await database.db.execute(sql`
        insert into transactions (id, account_id, provider_key, fingerprint, booking_date, amount, currency, source) values
          ${sql.join(
            [
              row(t.keyed, older, 'K1', 'F1', '2026-02-10', '-10'),
              row(t.rekeyed, older, 'K2', 'F2', '2026-02-11', '-20'),
              row(t.unkeyed, older, null, 'F3', '2026-02-12', '-30'),
              row(t.onlyOld, older, 'K4', 'F4', '2026-01-15', '-40'),
              row(u.keyed, newer, 'K1', 'F1', '2026-02-10', '-10'),
              row(u.rekeyed, newer, 'K2-new', 'F2', '2026-02-11', '-20'),
              row(u.unkeyed, newer, null, 'F3', '2026-02-12', '-30'),
              row(u.onlyNew, newer, 'K5', 'F5', '2026-04-20', '-50'),
              row(u.fromFile, newer, 'R6', 'F6', '2026-04-21', '-60', 'file'),
              row(id(), foreign, 'K1', 'F1', '2026-02-10', '-10'),
            ],
            sql`, `,
          )}`);
      await database.db.execute(sql`
        insert into pending_transactions (id, account_id, provider_key, expected_date, amount, currency, first_seen_at, last_seen_at, removed_at, settled_transaction_id) values
          (${p.old}, ${older}, 'P1', '2026-04-29', -5, 'EUR', now(), now(), null, null),
          (${p.twin}, ${newer}, 'P1', '2026-04-29', -5, 'EUR', now(), now(), null, null),
          (${p.onlyNew}, ${newer}, 'P2', '2026-04-30', -6, 'EUR', now(), now(), null, null),
          (${p.settledByTwin}, ${newer}, 'P0', '2026-02-10', -10, 'EUR', now(), now(), now(), ${u.keyed})`);
      await database.db.execute(sql`insert into balances (account_id, type, amount, currency, fetched_at) values (${older}, 'closingBooked', 100, 'EUR', now()), (${newer}, 'closingBooked', 90, 'EUR', now())`);
      await database.db.execute(sql`insert into syncs (id, connection_id, trigger, status) values (${syncId}, ${newConnection}, 'scheduled', 'completed')`);
      await database.db.execute(sql`insert into sync_runs (sync_id, connection_id, account_id, status) values (${syncId}, ${newConnection}, ${newer}, 'completed')`);
      await database.db.execute(sql`
        insert into statement_imports (account_id, format, file_sha256, bytes, entries, inserted, updated, duplicates, pending_skipped)
        values (${newer}, 'camt.053', 'abc', 10, 1, 1, 0, 0, 0)`);
      // Where a ledger that read everything before the upgrade stands: past the last database transaction that changed a row.
      const [mark] = await database.rows<{ xid: string }>(sql`
        select (max(changed_xid::text::bigint) + 1)::text as xid from (
          select changed_xid from transactions union all select changed_xid from pending_transactions) changes`);

      await database.migrate();

      const accounts = await database.db.select().from(bankAccounts).where(eq(bankAccounts.tenantId, tenant));
      expect(accounts.map((a) => a.id).sort()).toEqual([older, single].sort());
      const merged = accounts.find((a) => a.id === older)!;
      expect(merged).toMatchObject({ iban: IBAN, currency: 'EUR', name: 'Girokonto', ledgerAccountCode: '1810', importStart: '2026-01-01', lastIntegrationDate: '2026-04-30' });
      expect(mergeRanges(merged.coveredRanges)).toEqual([{ from: '2026-01-01', to: '2026-04-30' }]);
      expect(await database.db.select({ id: bankAccounts.id }).from(bankAccounts).where(eq(bankAccounts.tenantId, other))).toEqual([{ id: foreign }]);

      const kept = await database.db.select().from(transactions).where(eq(transactions.accountId, older));
      expect(kept.map((x) => x.id).sort()).toEqual([t.keyed, t.rekeyed, t.unkeyed, t.onlyOld, u.onlyNew, u.fromFile].sort());
      expect(kept.find((x) => x.id === u.fromFile)).toMatchObject({ keyNamespace: 'file', providerKey: 'R6' });
      expect(kept.find((x) => x.id === t.keyed)).toMatchObject({ keyNamespace: 'nextgenpsd2', providerKey: 'K1' });
      expect((await database.db.select().from(removedTransactions)).map((r) => [r.id, r.accountId, r.replacedBy]).sort()).toEqual(
        [
          [u.keyed, older, t.keyed],
          [u.rekeyed, older, t.rekeyed],
          [u.unkeyed, older, t.unkeyed],
        ].sort(),
      );
      const pending = await database.db.select().from(pendingTransactions);
      expect(pending.every((x) => x.accountId === older)).toBe(true);
      expect(pending.find((x) => x.id === p.twin)!.removedAt).not.toBeNull();
      expect(pending.find((x) => x.id === p.onlyNew)!.removedAt).toBeNull();
      expect(pending.find((x) => x.id === p.settledByTwin)!.settledTransactionId).toBe(t.keyed);
      const [moved] = await database.rows<{ balances: number; imports: number; runs: number }>(sql`
        select (select count(*)::int from balances where account_id = ${older}) as balances,
          (select count(*)::int from statement_imports where account_id = ${older}) as imports,
          (select count(*)::int from sync_runs where account_id = ${older}) as runs`);
      expect(moved).toEqual({ balances: 2, imports: 1, runs: 1 });
      const links = await database.db.select().from(connectionAccounts);
      expect(links.map((l) => [l.connectionId, l.accountId, l.createdAccount, l.detachedAt !== null, l.providerAccountId]).sort()).toEqual(
        [
          [oldConnection, older, true, true, null],
          [newConnection, older, false, false, 'res-new'],
          [newConnection, single, true, false, 'res-single'],
          [otherConnection, foreign, true, false, 'res-foreign'],
        ].sort(),
      );

      // The ledger, reading on from where it stood: the twins removed (pointing to what holds them), what moved
      // modified (a pending entry removed before shows as removed again, with the transaction that settled it now).
      const key = await issueApiKey(database.db, tenant);
      const ledger = new LedgerReplica(api.app, { authorization: `Bearer ${key!.key}` });
      ledger.cursor = encodeCursor([mark!.xid, 0, '']);
      await ledger.catchUp();
      expect(ledger.seen.removed.sort()).toEqual([u.keyed, u.rekeyed, u.unkeyed, p.twin, p.settledByTwin].sort());
      expect(ledger.seen.modified.sort()).toEqual([u.onlyNew, u.fromFile, p.onlyNew].sort());
      expect(ledger.seen.added).toEqual([]);
    } finally {
      await api.close();
      if (url) await database.db.execute(sql`drop schema ${sql.identifier(schemaName)} cascade`);
      await database.close();
    }
  }, 120_000);
});
