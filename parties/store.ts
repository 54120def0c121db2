import { sql } from 'drizzle-orm';
import { arrayParam } from '../db/arrays.js';
import type { DatabaseHandle } from '../db/client.js';
import type { PartyKind } from '../domain/parties.js';
import { normaliseName } from '../matching/names.js';
import { rematchTransactions } from '../matching/rematch.js';

/** A party as the ledger registers it, its IBANs already checked and in electronic form. */
export interface PartyInput {
  externalId: string;
  kind: PartyKind;
  name: string;
  ibans: string[];
  otherNames: string[];
  defaultLedgerAccountCode: string | null;
}

/**
 * Creates or updates the tenant's parties by the ledger's ids (unique within `parties`), in
 * set-based statements. Each party's identifiers from the ledger (IBANs, its name and other names,
 * normalised) are replaced; those learned from confirmed transactions stay. Run it in a database
 * transaction: a party is never seen without its identifiers.
 */
export async function upsertParties(database: DatabaseHandle, tenantId: string, parties: readonly PartyInput[]): Promise<{ created: number; updated: number }> {
  if (parties.length === 0) return { created: 0, updated: 0 };
  const rows = JSON.stringify(parties.map((p) => ({ x: p.externalId, k: p.kind, n: p.name, i: p.ibans, o: p.otherNames, l: p.defaultLedgerAccountCode })));
  const stored = await database.rows<{ id: string; external_id: string; created: boolean }>(sql`
    insert into parties (tenant_id, external_id, kind, name, ibans, other_names, default_ledger_account_code)
    select ${tenantId}, x, k, n, i, o, l from json_to_recordset(${rows}::json) as r(x text, k text, n text, i jsonb, o jsonb, l text)
    on conflict (tenant_id, external_id) do update set
      kind = excluded.kind, name = excluded.name, ibans = excluded.ibans, other_names = excluded.other_names,
      default_ledger_account_code = excluded.default_ledger_account_code, updated_at = now()
    returning id, external_id, (xmax = 0) as created`);
  const ids = new Map(stored.map((row) => [row.external_id, row.id]));
  const identifiers = parties.flatMap((party) => {
    const partyId = ids.get(party.externalId)!;
    const names = new Set([party.name, ...party.otherNames].map(normaliseName).filter(Boolean));
    return [...new Set(party.ibans)].map((value) => ({ p: partyId, k: 'iban', v: value })).concat([...names].map((value) => ({ p: partyId, k: 'name', v: value })));
  });
  await database.rows(sql`
    delete from party_identifiers where origin = 'ledger' and party_id = any(${arrayParam([...ids.values()], 'uuid')})`);
  await database.rows(sql`
    insert into party_identifiers (tenant_id, party_id, kind, value, origin)
    select ${tenantId}, p, k, v, 'ledger' from json_to_recordset(${JSON.stringify(identifiers)}::json) as r(p uuid, k text, v text)
    on conflict (party_id, kind, value) do nothing`);
  // New identifiers wait in the trigram index's pending list (GIN fastupdate) until a vacuum merges
  // them, and every similar-name lookup reads that list whole: after 1,000 parties, looking up an
  // import's 143 names took 220 ms instead of 8. Merged now, so the import after a registration is
  // fast at once. Only the index's owner may merge (as for VACUUM); another role leaves it to autovacuum.
  await database.rows(sql`
    select gin_clean_pending_list(c.oid) from pg_class c
    where c.oid = 'party_identifiers_name_trigrams'::regclass and pg_has_role(c.relowner, 'USAGE')`);
  const created = stored.filter((row) => row.created).length;
  return { created, updated: stored.length - created };
}

/**
 * Removes one of the tenant's parties: the transactions matched to it, or listing it among their
 * candidates, become unmatched (the feed reports them as modified). Undefined when there is none.
 */
export async function deleteParty(database: DatabaseHandle, tenantId: string, externalId: string): Promise<{ id: string; unmatched: number } | undefined> {
  const [party] = await database.rows<{ id: string }>(sql`select id from parties where tenant_id = ${tenantId} and external_id = ${externalId} for update`);
  if (!party) return undefined;
  const unmatched = await database.rows<{ id: string }>(sql`
    update transactions set party_id = null, party_match = null, party_confidence = null, party_candidates = null, ledger_account_code = null, updated_at = now()
    where party_id = ${party.id}
       or (party_candidates is not null and party_candidates @> ${JSON.stringify([{ partyId: party.id }])}::jsonb
           and account_id in (select id from bank_accounts where tenant_id = ${tenantId}))
    returning id`);
  await database.rows(sql`delete from parties where id = ${party.id}`);
  // Matched again at once, in this database transaction: the feed reports each of them once, with
  // what matches it now (another party, a rule, or nothing), and no later pass finds more to do.
  await rematchTransactions(database, tenantId, unmatched.map((row) => row.id));
  return { id: party.id, unmatched: unmatched.length };
}
