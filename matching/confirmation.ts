import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import { compactIban } from '../domain/iban.js';
import { normaliseName } from './names.js';
import { rematchTransactions } from './rematch.js';

interface ConfirmableRow {
  id: string;
  party_id: string | null;
  party_match: string | null;
  counterparty_name: string | null;
  counterparty_iban: string | null;
}

/** What identifies a transaction's counterparty, as party identifiers hold it: its IBAN and its normalised name, where it has them. */
function identifiersOf(row: Pick<ConfirmableRow, 'counterparty_iban' | 'counterparty_name'>): { kind: 'iban' | 'name'; value: string }[] {
  const iban = row.counterparty_iban ? compactIban(row.counterparty_iban) : '';
  const name = row.counterparty_name ? normaliseName(row.counterparty_name) : '';
  return [...(iban ? [{ kind: 'iban' as const, value: iban }] : []), ...(name ? [{ kind: 'name' as const, value: name }] : [])];
}

/** One of the tenant's booked transactions, locked for the caller's database transaction; undefined when the tenant has none with that id. */
export async function lockTransaction(database: DatabaseHandle, tenantId: string, transactionId: string): Promise<ConfirmableRow | undefined> {
  const [row] = await database.rows<ConfirmableRow>(sql`
    select t.id, t.party_id, t.party_match, t.counterparty_name, t.counterparty_iban
    from transactions t join bank_accounts a on a.id = t.account_id
    where t.id = ${transactionId} and a.tenant_id = ${tenantId}
    for update of t`);
  return row;
}

/**
 * Takes back what a confirmed transaction taught its party, unless another confirmed transaction
 * of that party teaches the same (otherwise an IBAN just learned would match the transaction right
 * back to the party the ledger took it from). Answers how many learned identifiers were removed.
 */
async function unlearn(database: DatabaseHandle, row: ConfirmableRow): Promise<number> {
  if (row.party_match !== 'confirmed' || !row.party_id) return 0;
  const others = await database.rows<Pick<ConfirmableRow, 'counterparty_iban' | 'counterparty_name'>>(sql`
    select distinct counterparty_iban, counterparty_name from transactions
    where party_id = ${row.party_id} and party_match = 'confirmed' and id <> ${row.id}`);
  const stillTaught = new Set(others.flatMap(identifiersOf).map(({ kind, value }) => `${kind} ${value}`));
  const untaught = identifiersOf(row).filter(({ kind, value }) => !stillTaught.has(`${kind} ${value}`));
  if (untaught.length === 0) return 0;
  const removed = await database.rows(sql`
    delete from party_identifiers i using json_to_recordset(${JSON.stringify(untaught)}::json) as u(kind text, value text)
    where i.party_id = ${row.party_id} and i.origin = 'learned' and i.kind = u.kind and i.value = u.value
    returning 1`);
  return removed.length;
}

/**
 * The ledger says which party a transaction belongs to: match `confirmed`, confidence 1, no
 * candidates, the party's default ledger account; re-matching never touches it again. And it
 * teaches: the counterparty's IBAN and normalised name become `learned` identifiers of the party
 * (kept when the ledger upserts the party), so later transactions match it by them; what the row
 * taught another party it was confirmed to before goes. Run it in a database transaction, with
 * the row locked (lockTransaction).
 */
export async function confirmParty(database: DatabaseHandle, tenantId: string, row: ConfirmableRow, partyId: string): Promise<{ learned: number; unlearned: number }> {
  const unlearned = row.party_id === partyId ? 0 : await unlearn(database, row);
  await database.rows(sql`
    update transactions set
      party_id = ${partyId}, party_match = 'confirmed', party_confidence = 1, party_candidates = null, matching_rule_id = null,
      ledger_account_code = (select default_ledger_account_code from parties where id = ${partyId}), updated_at = now()
    where id = ${row.id}`);
  const identifiers = identifiersOf(row);
  if (identifiers.length === 0) return { learned: 0, unlearned };
  const learned = await database.rows(sql`
    insert into party_identifiers (tenant_id, party_id, kind, value, origin)
    select ${tenantId}, ${partyId}, kind, value, 'learned' from json_to_recordset(${JSON.stringify(identifiers)}::json) as i(kind text, value text)
    on conflict (party_id, kind, value) do nothing
    returning 1`);
  return { learned: learned.length, unlearned };
}

/**
 * The ledger takes its confirmation back: what the row taught its party goes (see unlearn), and
 * the transaction is matched automatically again, at once. Run it in a database transaction, with
 * the row locked. A row that was not confirmed is left as it is.
 */
export async function unconfirmParty(database: DatabaseHandle, tenantId: string, row: ConfirmableRow): Promise<{ learned: number; unlearned: number }> {
  if (row.party_match !== 'confirmed') return { learned: 0, unlearned: 0 };
  const unlearned = await unlearn(database, row);
  await database.rows(sql`
    update transactions set party_id = null, party_match = null, party_confidence = null, party_candidates = null, ledger_account_code = null, matching_rule_id = null, updated_at = now()
    where id = ${row.id}`);
  await rematchTransactions(database, tenantId, [row.id]);
  return { learned: 0, unlearned };
}
