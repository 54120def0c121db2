import { Type, type Static } from '@fastify/type-provider-typebox';
import { formatAmount, parseAmount } from '../../domain/amount.js';
import type { PartyKind } from '../../domain/parties.js';
import type { PaymentReference as FoundReference } from '../../matching/references/index.js';
import { Amount, Currency, IsoDate, Nullable, Uuid } from './common.js';
import { PartyRef, PaymentReference } from './parties.js';

export const Transaction = Type.Object({
  id: Uuid,
  account_id: Uuid,
  status: Type.Union([Type.Literal('booked'), Type.Literal('pending')]),
  booking_date: Type.String({ format: 'date', description: 'booked: the booking date; pending: the expected date' }),
  value_date: Nullable(IsoDate),
  amount: Amount,
  currency: Currency,
  counterparty_name: Nullable(Type.String()),
  counterparty_iban: Nullable(Type.String()),
  remittance_information: Nullable(Type.String()),
  end_to_end_id: Nullable(Type.String()),
  mandate_id: Nullable(Type.String({ description: 'booked: the SEPA direct debit mandate reference' })),
  bank_transaction_code: Nullable(Type.String()),
  source: Nullable(Type.String({ description: 'booked: feed (the bank) or file (a statement file)' })),
  pending_transaction_id: Nullable(Type.String({ format: 'uuid', description: 'booked: the pending entry it settled' })),
  settled_transaction_id: Nullable(Type.String({ format: 'uuid', description: 'pending: the booked transaction that settled it' })),
  party: Nullable(PartyRef),
  candidates: Type.Optional(Type.Array(PartyRef, { description: 'only when the match is ambiguous (party null): the parties equally likely, none chosen' })),
  references: Type.Array(PaymentReference, { description: 'payment references found in the remittance information and structured fields' }),
  ledger_account_code: Nullable(Type.String({ description: "the ledger account suggested for it: a matching rule's, or its party's default" })),
});
export type TransactionView = Static<typeof Transaction>;

/** One row shape for booked and pending entries, as the queries select them. */
export interface TransactionRow {
  id: string;
  account_id: string;
  status: 'booked' | 'pending';
  booking_date: string;
  value_date: string | null;
  amount: string;
  currency: string;
  counterparty_name: string | null;
  counterparty_iban: string | null;
  remittance_information: string | null;
  end_to_end_id: string | null;
  mandate_id: string | null;
  bank_transaction_code: string | null;
  source: string | null;
  pending_transaction_id: string | null;
  settled_transaction_id: string | null;
  /** The party by the ledger's id; candidates likewise, with how each was found. */
  party: { id: string; kind: PartyKind } | null;
  /** 'rule:<id>' for a matching rule's. */
  party_match: string | null;
  party_confidence: string | null;
  party_candidates: { id: string; kind: PartyKind; match: string; confidence: number }[] | null;
  ledger_account_code: string | null;
  references: FoundReference[];
}

export function transactionView(row: TransactionRow): TransactionView {
  return {
    id: row.id,
    account_id: row.account_id,
    status: row.status,
    booking_date: row.booking_date,
    value_date: row.value_date,
    amount: formatAmount(parseAmount(row.amount), row.currency),
    currency: row.currency,
    counterparty_name: row.counterparty_name,
    counterparty_iban: row.counterparty_iban,
    remittance_information: row.remittance_information,
    end_to_end_id: row.end_to_end_id,
    mandate_id: row.mandate_id,
    bank_transaction_code: row.bank_transaction_code,
    source: row.source,
    pending_transaction_id: row.pending_transaction_id,
    settled_transaction_id: row.settled_transaction_id,
    party: row.party && row.party_match ? { ...row.party, match: row.party_match, confidence: Number(row.party_confidence) } : null,
    ...(row.party_candidates && { candidates: row.party_candidates }),
    references: row.references,
    ledger_account_code: row.ledger_account_code,
  };
}
