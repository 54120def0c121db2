import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { arrayParam } from '../db/arrays.js';
import type { transactions } from '../db/schema.js';
import { createTestDatabase } from '../test/helpers/database.js';

/**
 * Seconds a raw COPY of `rows` takes into a freshly migrated transactions table (same indexes,
 * triggers and foreign keys) in a database of its own: the database's fastest, for a benchmark's
 * side-by-side ratio.
 *
 * "The same rows" means every column the import writes, with the values the import stored: the
 * transaction's own fields and what matching found for it (its party, match, confidence,
 * candidates, ledger account, rule and payment references), read back from the import's table
 * before the clock starts. So the COPY pays for the same bytes, the same jsonb and the same party
 * foreign key checks, and the ratio compares storing with storing, not storing matched rows with
 * storing bare ones.
 */
export async function measureCopy(databaseUrl: string, rows: (typeof transactions.$inferSelect)[], iban: string): Promise<number> {
  const target = await createTestDatabase(databaseUrl);
  const client = postgres(target.url!, { max: 1, onnotice: () => {} });
  try {
    // The rows' account and parties, under their own ids, so the foreign keys hold.
    const accountId = rows[0]!.accountId;
    const partyIds = [...new Set(rows.flatMap((r) => (r.partyId ? [r.partyId] : [])))];
    await target.db.execute(sql`
      with t as (insert into tenants (name) values ('bench') returning id),
        a as (insert into bank_accounts (id, tenant_id, iban, currency) select ${accountId}, id, ${iban}, 'EUR' from t)
      insert into parties (id, tenant_id, external_id, kind, name)
      select p.id, t.id, p.id::text, 'customer', p.id::text from t, unnest(${arrayParam(partyIds, 'uuid')}) as p(id)`);
    const columns = [
      'account_id', 'source', 'key_namespace', 'provider_key', 'fingerprint', 'booking_date', 'value_date', 'amount', 'currency',
      'counterparty_name', 'counterparty_iban', 'remittance_information', 'end_to_end_id', 'mandate_id', 'bank_transaction_code',
      'party_id', 'party_match', 'party_confidence', 'party_candidates', 'ledger_account_code', 'matching_rule_id', '"references"',
    ];
    const lines = rows.map((r) =>
      [
        r.accountId, r.source, r.keyNamespace, r.providerKey, r.fingerprint, r.bookingDate, r.valueDate, r.amount, r.currency,
        r.counterpartyName, r.counterpartyIban, r.remittanceInformation, r.endToEndId, r.mandateId, r.bankTransactionCode,
        r.partyId, r.partyMatch, r.partyConfidence, r.partyCandidates && JSON.stringify(r.partyCandidates), r.ledgerAccountCode, r.matchingRuleId, JSON.stringify(r.references),
      ]
        .map(copyField)
        .join('\t'),
    );
    const started = performance.now();
    const stream = await client.unsafe(`copy transactions (${columns.join(', ')}) from stdin`).writable();
    for (let i = 0; i < lines.length; i += 1000) {
      if (!stream.write(`${lines.slice(i, i + 1000).join('\n')}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    stream.end();
    await new Promise((resolve, reject) => stream.on('finish', resolve).on('error', reject));
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
    await target.drop();
  }
}

/** A value in COPY's text format. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
