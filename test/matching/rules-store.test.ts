/** Matching rules in the import: after the parties' identifiers, stored in the insert, for tenants with parties and for tenants with rules alone. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bankAccounts, matchingRules, parties, tenants, transactions } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { upsertParties } from '../../parties/store.js';
import { FingerprintCounter } from '../../transactions/identity.js';
import { openBatchStore } from '../../transactions/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function tenantWithAccount() {
  const [tenant] = await database.db.insert(tenants).values({ name: 'rules' }).returning();
  const [account] = await database.db.insert(bankAccounts).values({ tenantId: tenant!.id, iban: 'DK5000400440116243', currency: 'DKK' }).returning();
  return { tenantId: tenant!.id, accountId: account!.id };
}

async function importEntries(accountId: string, content: { bookingDate: string; amount: string; counterpartyName?: string; remittanceInformation?: string }[]) {
  const counter = new FingerprintCounter();
  const store = await openBatchStore(database, accountId, { source: 'feed', keyNamespace: 'nextgenpsd2' });
  await store.store(content.map((c) => ({ currency: 'DKK', ...c, fingerprint: counter.fingerprint({ currency: 'DKK', ...c }) })));
  await store.finish();
  const rows = await database.db.select().from(transactions).where(eq(transactions.accountId, accountId)).orderBy(transactions.bookingDate);
  return rows.map((r) => [r.counterpartyName, r.partyId, r.partyMatch, r.partyConfidence, r.ledgerAccountCode, r.matchingRuleId]);
}

test("a rule decides what the parties' identifiers leave open, highest priority first; a name that matches a party is not the rule's", async () => {
  const { tenantId, accountId } = await tenantWithAccount();
  await inTransaction(database, (tx) =>
    upsertParties(tx, tenantId, [
      { externalId: 'landlord', kind: 'supplier', name: 'Ejendomsselskabet Nørrebro ApS', ibans: [], otherNames: [], defaultLedgerAccountCode: '3400' },
      { externalId: 'shop', kind: 'customer', name: 'Hansen Cykler', ibans: [], otherNames: [], defaultLedgerAccountCode: null },
    ]),
  );
  const ids = new Map((await database.db.select().from(parties).where(eq(parties.tenantId, tenantId))).map((p) => [p.externalId, p.id]));
  const [rent] = await database.db
    .insert(matchingRules)
    .values({ tenantId, priority: 1, field: 'text', operator: 'regex', value: '^husleje\\b', amountMax: '-1000', partyId: ids.get('landlord')! })
    .returning();
  const [fees] = await database.db.insert(matchingRules).values({ tenantId, priority: 5, field: 'counterparty', operator: 'equals', value: 'nets', ledgerAccountCode: '7220' }).returning();
  // Lower priority than `fees`, met by the same entry: not used.
  await database.db.insert(matchingRules).values({ tenantId, priority: 0, accountId, ledgerAccountCode: '9999', amountMin: '-10' });

  expect(
    await importEntries(accountId, [
      { bookingDate: '2026-03-01', amount: '-4500', counterpartyName: 'Udlejer', remittanceInformation: 'HUSLEJE marts' },
      { bookingDate: '2026-03-02', amount: '-45', counterpartyName: 'NETS', remittanceInformation: 'Gebyr' },
      { bookingDate: '2026-03-03', amount: '250', counterpartyName: 'HANSEN CYKLER', remittanceInformation: 'husleje' },
      { bookingDate: '2026-03-04', amount: '-500', counterpartyName: 'Udlejer', remittanceInformation: 'Husleje depositum' },
      { bookingDate: '2026-03-05', amount: '-5', counterpartyName: 'Kiosk' },
    ]),
  ).toEqual([
    ['Udlejer', ids.get('landlord'), 'rule', '0.900', '3400', rent!.id],
    // A rule that gives only a ledger account leaves the row without a party, and so without a match.
    ['NETS', null, null, null, '7220', fees!.id],
    ['HANSEN CYKLER', ids.get('shop'), 'name', '0.950', null, null],
    ['Udlejer', null, null, null, null, null],
    ['Kiosk', null, null, null, '9999', expect.any(String)],
  ]);
});

test('a tenant with rules and no parties gets its rules applied', async () => {
  const { tenantId, accountId } = await tenantWithAccount();
  const [fees] = await database.db.insert(matchingRules).values({ tenantId, field: 'text', operator: 'contains', value: 'gebyr', ledgerAccountCode: '7220' }).returning();
  expect(await importEntries(accountId, [{ bookingDate: '2026-03-02', amount: '-45', counterpartyName: 'NETS', remittanceInformation: 'Gebyr marts' }])).toEqual([
    ['NETS', null, null, null, '7220', fees!.id],
  ]);
});
