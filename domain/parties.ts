/** Who a party is to the tenant's ledger. */
export const PARTY_KINDS = ['customer', 'supplier', 'employee', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/**
 * How a transaction was matched to its party, most certain first: the ledger confirmed it, the
 * counterparty IBAN, the normalised name, a similar name, or one of the tenant's matching rules.
 */
export const PARTY_MATCH_KINDS = ['confirmed', 'iban', 'name', 'similar_name', 'rule'] as const;
export type PartyMatchKind = (typeof PARTY_MATCH_KINDS)[number];

/** What identifies a party in a transaction, normalised: an IBAN (electronic form) or a name. */
export type PartyIdentifierKind = 'iban' | 'name';

/** One of the parties an ambiguous transaction may belong to (none of them is chosen). */
export interface PartyCandidate {
  partyId: string;
  match: PartyMatchKind;
  /** 0 to 1. */
  confidence: number;
}

/** A payment reference found in a transaction (matching/references says which kinds exist). */
export interface PaymentReference {
  kind: string;
  value: string;
}
