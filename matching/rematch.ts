import { sql, type SQL } from 'drizzle-orm';
import { arrayParam } from '../db/arrays.js';
import type { DatabaseHandle } from '../db/client.js';
import { partyFields } from '../transactions/store.js';
import { loadMatchingContext, matchingSteps } from './matching-context.js';
import { matchParties } from './party-matcher.js';
import { findReferences } from './references/index.js';

/** What one pass over some of a tenant's transactions did: ids and counts only (it is Temporal's result too). */
export interface RematchResult {
  /** Transactions read (confirmed ones are not). */
  scanned: number;
  /** Transactions whose party, ledger account or references changed, and were written. */
  changed: number;
  /** The last id read, where the next batch starts; null when none was read. */
  lastId: string | null;
}

interface StoredRow {
  id: string;
  account_id: string;
  amount: string;
  currency: string;
  counterparty_name: string | null;
  counterparty_iban: string | null;
  remittance_information: string | null;
  end_to_end_id: string | null;
  mandate_id: string | null;
}

/**
 * Matches some of a tenant's transactions again with the matcher the import uses (the tenant's
 * parties, rules and invoice-number pattern as they are now), and writes only the rows whose
 * result differs, so the feed reports each changed transaction once as modified and the others
 * not at all. Rows the ledger confirmed are never read nor written, also when the confirmation
 * commits while this runs.
 */
async function rematch(database: DatabaseHandle, tenantId: string, which: SQL, limit: number): Promise<RematchResult> {
  const rows = await database.rows<StoredRow>(sql`
    select t.id, t.account_id, t.amount::text as amount, t.currency, t.counterparty_name, t.counterparty_iban, t.remittance_information, t.end_to_end_id, t.mandate_id
    from transactions t join bank_accounts a on a.id = t.account_id
    where a.tenant_id = ${tenantId} and t.party_match is distinct from 'confirmed' and ${which}
    order by t.id
    limit ${limit}`);
  if (rows.length === 0) return { scanned: 0, changed: 0, lastId: null };

  const context = await loadMatchingContext(database, { tenantId });
  const steps = matchingSteps(context);
  const entries = rows.map((row) => ({
    accountId: row.account_id,
    amount: row.amount,
    currency: row.currency,
    counterpartyName: row.counterparty_name,
    counterpartyIban: row.counterparty_iban,
    remittanceInformation: row.remittance_information,
    endToEndId: row.end_to_end_id,
    mandateId: row.mandate_id,
  }));
  const decisions = steps.length > 0 ? await matchParties(database, tenantId, entries, steps) : [];
  const { invoiceNumberPattern } = context;
  const results = JSON.stringify(
    rows.map((row, index) => ({ id: row.id, ...partyFields(decisions[index]), refs: findReferences(entries[index]!, { invoiceNumberPattern }) })),
  );
  // Only rows whose result differs are written: compared in Postgres, numerically and as JSON values.
  const changed = await database.rows<{ id: string }>(sql`
    update transactions t set
      party_id = v.pi, party_match = v.pm, party_confidence = v.pc, party_candidates = v.pd, ledger_account_code = v.pl, matching_rule_id = v.pr,
      "references" = v.refs, updated_at = now()
    from json_to_recordset(${results}::json) as v(id uuid, pi uuid, pm text, pc numeric, pd jsonb, pl text, pr uuid, refs jsonb)
    where t.id = v.id and t.party_match is distinct from 'confirmed'
      and (t.party_id, t.party_match, t.party_confidence, t.party_candidates, t.ledger_account_code, t.matching_rule_id, t."references")
        is distinct from (v.pi, v.pm, v.pc, v.pd, v.pl, v.pr, v.refs)
    returning t.id`);
  return { scanned: rows.length, changed: changed.length, lastId: rows.at(-1)!.id };
}

/** The tenant's next `limit` transactions after `afterId` (from the first with null), in id order: one batch of a re-matching pass. */
export function rematchBatch(database: DatabaseHandle, { tenantId, afterId, limit }: { tenantId: string; afterId: string | null; limit: number }): Promise<RematchResult> {
  return rematch(database, tenantId, afterId ? sql`t.id > ${afterId}` : sql`true`, limit);
}

/** The given transactions of the tenant, matched again at once (a confirmation the ledger took back, a party it deleted). */
export async function rematchTransactions(database: DatabaseHandle, tenantId: string, ids: readonly string[]): Promise<RematchResult> {
  if (ids.length === 0) return { scanned: 0, changed: 0, lastId: null };
  return rematch(database, tenantId, sql`t.id = any(${arrayParam(ids, 'uuid')})`, ids.length);
}
