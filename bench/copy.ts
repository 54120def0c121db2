import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { transactions } from '../db/schema.js';
import { createTestDatabase } from '../test/helpers/database.js';

/**
 * Seconds a raw COPY of `rows` takes into a freshly migrated transactions table (same indexes and
 * triggers) in a schema of its own: the database's fastest, for a benchmark's side-by-side ratio.
 */
export async function measureCopy(databaseUrl: string, rows: (typeof transactions.$inferSelect)[], iban: string): Promise<number> {
  const target = await createTestDatabase(databaseUrl);
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { search_path: target.schemaName } });
  try {
    // The rows' account, under its own id, so the foreign keys hold.
    const accountId = rows[0]!.accountId;
    await target.db.execute(sql`
      with t as (insert into tenants (name) values ('bench') returning id)
      insert into bank_accounts (id, tenant_id, iban, currency) select ${accountId}, id, ${iban}, 'EUR' from t`);
    const columns = ['account_id', 'key_namespace', 'provider_key', 'fingerprint', 'booking_date', 'value_date', 'amount', 'currency', 'counterparty_name', 'counterparty_iban', 'remittance_information', 'end_to_end_id', 'bank_transaction_code', 'source'];
    const lines = rows.map((r) =>
      [r.accountId, r.keyNamespace, r.providerKey, r.fingerprint, r.bookingDate, r.valueDate, r.amount, r.currency, r.counterpartyName, r.counterpartyIban, r.remittanceInformation, r.endToEndId, r.bankTransactionCode, r.source]
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

function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
