import { sql } from 'drizzle-orm';

/** Pending entries are not matched (provisional, replaced every sync: the booked entry is), removed ones no longer. */
const NO_MATCH = `null::json as party, null::text as party_match, null::text as party_confidence, null::json as party_candidates,
  null::text as ledger_account_code, '[]'::jsonb as "references"`;

/**
 * Booked and pending entries selected in one row shape (TransactionRow), so lists and the feed
 * can read either, or both in one union. `t` is transactions, `p` pending_transactions, `r`
 * removed_transactions (only its id and account mean anything). A booked row names its party and
 * candidates by the ledger's own ids, and a rule's match by the rule (`rule:<id>`).
 */
export const bookedRow = sql.raw(`
  t.id, t.account_id, 'booked' as status, t.booking_date::text as booking_date, t.value_date::text as value_date,
  t.amount::text as amount, t.currency, t.counterparty_name, t.counterparty_iban, t.remittance_information,
  t.end_to_end_id, t.mandate_id, t.bank_transaction_code, t.source,
  (select s.id from pending_transactions s where s.settled_transaction_id = t.id limit 1) as pending_transaction_id,
  null::uuid as settled_transaction_id,
  (select json_build_object('id', pp.external_id, 'kind', pp.kind) from parties pp where pp.id = t.party_id) as party,
  case when t.party_match = 'rule' then 'rule:' || t.matching_rule_id else t.party_match end as party_match, t.party_confidence::text as party_confidence,
  (select json_agg(json_build_object('id', cp.external_id, 'kind', cp.kind, 'match', c.value->>'match', 'confidence', c.value->'confidence') order by c.ordinality)
     from jsonb_array_elements(t.party_candidates) with ordinality as c join parties cp on cp.id = (c.value->>'partyId')::uuid) as party_candidates,
  t.ledger_account_code, t."references"`);

export const pendingRow = sql.raw(`
  p.id, p.account_id, 'pending' as status, p.expected_date::text as booking_date, null::text as value_date,
  p.amount::text as amount, p.currency, p.counterparty_name, p.counterparty_iban, p.remittance_information,
  null::text as end_to_end_id, null::text as mandate_id, null::text as bank_transaction_code, null::text as source,
  null::uuid as pending_transaction_id, p.settled_transaction_id,
  ${NO_MATCH}`);

export const removedRow = sql.raw(`
  r.id, r.account_id, 'booked' as status, null::text as booking_date, null::text as value_date,
  null::text as amount, null::text as currency, null::text as counterparty_name, null::text as counterparty_iban, null::text as remittance_information,
  null::text as end_to_end_id, null::text as mandate_id, null::text as bank_transaction_code, null::text as source,
  null::uuid as pending_transaction_id, null::uuid as settled_transaction_id,
  ${NO_MATCH}`);
