import { sql, type SQL } from 'drizzle-orm';
import { arrayParam } from '../db/arrays.js';
import type { DatabaseHandle } from '../db/client.js';
import { loadMatchingContext, matchingSteps, type MatchingContext } from '../matching/matching-context.js';
import type { PartyCandidate } from '../domain/parties.js';
import { matchParties, type PartyDecision } from '../matching/party-matcher.js';
import { findReferences, type InvoiceNumberPattern } from '../matching/references/index.js';
import type { TransactionContent } from './identity.js';

/** A booked transaction ready to store: its content, its keys, and the details that may change. */
export interface BookedEntry extends TransactionContent {
  providerKey?: string;
  fingerprint: string;
  valueDate?: string | null;
  endToEndId?: string | null;
  mandateId?: string | null;
  bankTransactionCode?: string | null;
}

export interface StoreOptions {
  /**
   * The caller knows the account had no transactions before this fetch and holds its lock (a
   * first import): nothing to look up. Keys and fingerprints repeated within the fetch must already
   * be dropped (the fingerprint counter and a seen-keys set do that).
   */
  accountIsEmpty?: boolean;
  /** The tenant's matching context: new transactions are stored matched to its parties. */
  matching?: MatchingContext;
}

/** Where a fetch or file comes from: the source a new row records, and whose keys its entries carry. */
export interface StoreOrigin {
  source: 'feed' | 'file';
  /** The provider kind of the feed (`nextgenpsd2`, ...), or `file`: keys are only compared within it. */
  keyNamespace: string;
}

export const FILE_ORIGIN: StoreOrigin = { source: 'file', keyNamespace: 'file' };

export interface StoreCounts {
  inserted: number;
  updated: number;
}

interface ExistingRow {
  id: string;
  provider_key: string | null;
  key_namespace: string | null;
  fingerprint: string;
  value_date: string | null;
  end_to_end_id: string | null;
  mandate_id: string | null;
  bank_transaction_code: string | null;
  counterparty_iban: string | null;
}

/**
 * Stores booked transactions exactly once per account, in set-based statements (no row-at-a-time
 * inserts). An entry is the row with its provider key in the origin's key namespace; failing
 * that, the row with its fingerprint that no other entry of this fetch has claimed (the provider
 * re-keyed it, or it came first from a file or another provider). A row takes the entry's key
 * when it has none or one of the same namespace (a re-key); a key of another namespace stays,
 * since keys say nothing across providers. Anything else is new.
 *
 * `claimed` spans one fetch or file, so a row matched on one page is not matched again on the next.
 * Callers hold the account's lock (`withAccountLock`): one writer per account at a time.
 */
export async function storeBooked(
  database: DatabaseHandle,
  accountId: string,
  entries: readonly BookedEntry[],
  origin: StoreOrigin,
  claimed: Set<string>,
  options: StoreOptions = {},
): Promise<StoreCounts> {
  if (entries.length === 0) return { inserted: 0, updated: 0 };
  const byKey = new Map<string, ExistingRow>();
  const byFingerprint = new Map<string, ExistingRow>();
  if (!options.accountIsEmpty) {
    // By key first (one index), then by fingerprint only what no key found: in a steady state that is nothing.
    const keys = entries.flatMap((entry) => (entry.providerKey ? [entry.providerKey] : []));
    const byKeyQuery = sql`key_namespace = ${origin.keyNamespace} and provider_key = any(${arrayParam(keys, 'text')})`;
    for (const row of keys.length > 0 ? await existing(database, accountId, byKeyQuery) : []) byKey.set(row.provider_key!, row);
    const unkeyed = entries.filter((entry) => !entry.providerKey || !byKey.has(entry.providerKey)).map((entry) => entry.fingerprint);
    for (const row of unkeyed.length > 0 ? await existing(database, accountId, sql`fingerprint = any(${arrayParam(unkeyed, 'text')})`) : []) byFingerprint.set(row.fingerprint, row);
  }

  // Keys first, across the whole batch: a fingerprint must not take a row that its own key claims.
  const matches = entries.map((entry) => {
    const row = entry.providerKey ? byKey.get(entry.providerKey) : undefined;
    if (row && !claimed.has(row.id)) claimed.add(row.id);
    return row;
  });
  entries.forEach((entry, index) => {
    if (matches[index]) return;
    const row = byFingerprint.get(entry.fingerprint);
    if (row && !claimed.has(row.id)) {
      claimed.add(row.id);
      matches[index] = row;
    }
  });

  const fresh = entries.filter((_, index) => !matches[index]);
  const changed = entries.flatMap((entry, index) => {
    const row = matches[index];
    if (!row) return [];
    // The row's key stays when it belongs to another namespace.
    const providerKey = row.key_namespace === null || row.key_namespace === origin.keyNamespace ? entry.providerKey : undefined;
    const change = { row, entry: { ...entry, providerKey } };
    return differs(change.row, change.entry) ? [change] : [];
  });
  const steps = options.matching ? matchingSteps(options.matching) : [];
  const parties = steps.length > 0 ? await matchParties(database, options.matching!.tenantId, fresh.map((e) => ({ accountId, amount: e.amount, counterpartyName: e.counterpartyName, counterpartyIban: e.counterpartyIban, remittanceInformation: e.remittanceInformation })), steps, options.matching!.lookups) : [];
  const found = { parties, invoiceNumberPattern: options.matching?.invoiceNumberPattern ?? null };
  return { inserted: await insert(database, accountId, fresh, found, origin, options.accountIsEmpty === true), updated: await update(database, changed, origin) };
}

function existing(database: DatabaseHandle, accountId: string, match: SQL) {
  return database.rows<ExistingRow>(sql`
    select id, provider_key, key_namespace, fingerprint, value_date::text, end_to_end_id, mandate_id, bank_transaction_code, counterparty_iban
    from transactions
    where account_id = ${accountId} and ${match}`);
}

/**
 * Only what a later fetch may legitimately add or correct; what identifies the transaction stays.
 * A detail is added or corrected, never taken away: a source that lacks it (a CSV without value
 * dates or IBANs, a bank feed without mandates) says nothing about it, and re-reading the feed's
 * overlap would otherwise drop what a camt.053 brought, and the file what the feed brought, again
 * and again, each time reported to the ledger as a modification.
 */
function differs(row: ExistingRow, entry: BookedEntry): boolean {
  const corrects = (given: string | null | undefined, stored: string | null) => given != null && given !== stored;
  return (
    (entry.providerKey !== undefined && row.provider_key !== entry.providerKey) ||
    corrects(entry.valueDate, row.value_date) ||
    corrects(entry.endToEndId, row.end_to_end_id) ||
    corrects(entry.mandateId, row.mandate_id) ||
    corrects(entry.bankTransactionCode, row.bank_transaction_code) ||
    corrects(entry.counterpartyIban, row.counterparty_iban)
  );
}

/** What new rows are stored with: their parties (index for index), and their payment references found by the tenant's invoice-number pattern too. */
interface Found {
  parties: readonly (PartyDecision | undefined)[];
  invoiceNumberPattern: InvoiceNumberPattern | null;
}

/** New rows are stored with their party and payment references, in the insert's own statement. */
async function insert(database: DatabaseHandle, accountId: string, entries: readonly BookedEntry[], found: Found, origin: StoreOrigin, accountIsEmpty: boolean) {
  if (entries.length === 0) return 0;
  // The batch as one JSON document: serialised natively, read by Postgres in one pass.
  const rows = JSON.stringify(
    entries.map((e, index) => {
      const party = partyFields(found.parties[index]);
      // One literal of one shape for every row: V8 builds and serialises such objects on its fast path (a spread made them slow).
      return {
        k: e.providerKey,
        f: e.fingerprint,
        b: e.bookingDate,
        v: e.valueDate,
        a: e.amount,
        c: e.currency,
        n: e.counterpartyName,
        i: e.counterpartyIban,
        r: e.remittanceInformation,
        e: e.endToEndId,
        m: e.mandateId,
        t: e.bankTransactionCode,
        pi: party.pi,
        pm: party.pm,
        pc: party.pc,
        pd: party.pd,
        pl: party.pl,
        pr: party.pr,
        rf: nonEmpty(findReferences(e, { invoiceNumberPattern: found.invoiceNumberPattern })),
      };
    }),
  );
  // A key or fingerprint that a concurrent writer stored meanwhile is skipped, not an error. Into
  // an empty account under its lock nothing can conflict, and a plain insert spares Postgres the
  // speculative insertion (a seventh of a first import's time); should a row conflict after all,
  // the statement fails and the retry finds the account no longer empty.
  const [{ inserted }] = (await database.rows<{ inserted: number }>(sql`
    with stored as (
      insert into transactions (account_id, source, key_namespace, provider_key, fingerprint, booking_date, value_date, amount, currency,
        counterparty_name, counterparty_iban, remittance_information, end_to_end_id, mandate_id, bank_transaction_code,
        party_id, party_match, party_confidence, party_candidates, ledger_account_code, matching_rule_id, "references")
      select ${accountId}, ${origin.source}, case when k is not null then ${origin.keyNamespace} end, k, f, b, v, a, c, n, i, r, e, m, t, pi, pm, pc, pd, pl, pr, coalesce(rf, '[]')
      from json_to_recordset(${rows}::json) as x(k text, f text, b date, v date, a numeric, c text, n text, i text, r text, e text, m text, t text,
        pi uuid, pm text, pc numeric, pd jsonb, pl text, pr uuid, rf jsonb)
      ${accountIsEmpty ? sql`` : sql`on conflict do nothing`}
      returning 1)
    select count(*)::int as inserted from stored`)) as [{ inserted: number }];
  return inserted;
}

/** Most card payments have no reference: nothing in the insert's JSON for them. */
const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

/** A party decision as the insert's JSON carries it (every field undefined, so absent from the JSON, for none: most entries of most tenants). */
export function partyFields(decision: PartyDecision | undefined): PartyFields {
  if (!decision) return NO_PARTY;
  // A rule that gives only a ledger account leaves the row without a party, so without a match.
  const matched = decision.partyId !== null || 'candidates' in decision;
  return {
    pi: decision.partyId ?? undefined,
    pm: matched ? decision.match : undefined,
    pc: matched ? decision.confidence : undefined,
    pd: 'candidates' in decision ? decision.candidates : undefined,
    pl: decision.ledgerAccountCode ?? undefined,
    pr: 'ruleId' in decision ? decision.ruleId : undefined,
  };
}

/** The insert's JSON fields of a party decision. */
interface PartyFields {
  pi: string | undefined;
  pm: PartyDecision['match'] | undefined;
  pc: number | undefined;
  pd: PartyCandidate[] | undefined;
  pl: string | undefined;
  pr: string | undefined;
}

const NO_PARTY: PartyFields = { pi: undefined, pm: undefined, pc: undefined, pd: undefined, pl: undefined, pr: undefined };

async function update(database: DatabaseHandle, changes: readonly { row: ExistingRow; entry: BookedEntry }[], origin: StoreOrigin) {
  if (changes.length === 0) return 0;
  const column = <T>(pick: (change: { row: ExistingRow; entry: BookedEntry }) => T) => changes.map(pick);
  const updated = await database.rows<{ id: string }>(sql`
    update transactions t set
      provider_key = coalesce(v.provider_key, t.provider_key),
      key_namespace = case when v.provider_key is null then t.key_namespace else ${origin.keyNamespace} end,
      value_date = coalesce(v.value_date, t.value_date),
      end_to_end_id = coalesce(v.end_to_end_id, t.end_to_end_id),
      mandate_id = coalesce(v.mandate_id, t.mandate_id),
      bank_transaction_code = coalesce(v.bank_transaction_code, t.bank_transaction_code),
      counterparty_iban = coalesce(v.counterparty_iban, t.counterparty_iban),
      updated_at = now()
    from unnest(
      ${arrayParam(column((c) => c.row.id), 'uuid')}, ${arrayParam(column((c) => c.entry.providerKey), 'text')},
      ${arrayParam(column((c) => c.entry.valueDate), 'date')}, ${arrayParam(column((c) => c.entry.endToEndId), 'text')},
      ${arrayParam(column((c) => c.entry.mandateId), 'text')},
      ${arrayParam(column((c) => c.entry.bankTransactionCode), 'text')}, ${arrayParam(column((c) => c.entry.counterpartyIban), 'text')}
    ) as v(id, provider_key, value_date, end_to_end_id, mandate_id, bank_transaction_code, counterparty_iban)
    where t.id = v.id
    returning t.id`);
  return updated.length;
}

/**
 * How many booked entries a caller gathers for one `store`: set-based statements, memory bounded
 * whatever the size of the fetch or file (two batches in flight and one being read).
 */
export const STORE_BATCH_SIZE = 10_000;

/**
 * Stores one fetch's or one file's batches into an account while the caller reads the next ones,
 * with one `claimed` set across them. The caller holds the account's lock. Into an account with
 * nothing stored yet there is nothing to look up, so two batches go in at once (side by side from
 * a pool, queued on one connection in a transaction): the database never waits for the reader.
 */
export async function openBatchStore(database: DatabaseHandle, accountId: string, origin: StoreOrigin) {
  const [{ stored }] = (await database.rows<{ stored: boolean }>(sql`select exists(select 1 from transactions where account_id = ${accountId}) as stored`)) as [{ stored: boolean }];
  const matching = await loadMatchingContext(database, { accountId });
  const claimed = new Set<string>();
  const totals: StoreCounts = { inserted: 0, updated: 0 };
  const inFlight = new Set<Promise<void>>();
  const depth = stored ? 1 : 2;
  return {
    /** Starts storing `entries`, once fewer than the allowed batches are in flight; a failure surfaces here or at `finish`. */
    async store(entries: readonly BookedEntry[]): Promise<void> {
      while (inFlight.size >= depth) await Promise.race(inFlight);
      const storing: Promise<void> = storeBooked(database, accountId, entries, origin, claimed, { accountIsEmpty: !stored, matching }).then((counts) => {
        totals.inserted += counts.inserted;
        totals.updated += counts.updated;
        inFlight.delete(storing);
      });
      storing.catch(() => {}); // seen by the next store or by finish
      inFlight.add(storing);
    },
    /** Waits for every batch: what was stored, or the first failure. */
    async finish(): Promise<StoreCounts> {
      await Promise.all(inFlight);
      return totals;
    },
    /** After the caller failed: lets what is in flight end, so nothing writes once the caller moves on. */
    async settle(): Promise<void> {
      await Promise.allSettled(inFlight);
    },
  };
}
