import { Type } from '@fastify/type-provider-typebox';
import { PARTY_KINDS } from '../../domain/parties.js';
import { REFERENCE_KINDS } from '../../matching/references/index.js';
import { Instant, Nullable } from './common.js';

export const PartyKind = Type.Enum([...PARTY_KINDS]);
/** The ledger's own id of a party: what the API speaks, never bankfeed's. */
export const PartyId = Type.String({ minLength: 1, maxLength: 100, description: "the ledger's own id of the party" });

export const PartyMatch = Type.Union(
  [Type.Literal('confirmed'), Type.Literal('iban'), Type.Literal('name'), Type.Literal('similar_name'), Type.String({ pattern: '^rule:', description: 'rule:<id>: one of the tenant\'s matching rules' })],
  { description: 'how the match was made: confirmed by the ledger, the counterparty IBAN, its normalised name, a similar name (pg_trgm), or a matching rule' },
);

/** A party a transaction belongs to, or may belong to. */
export const PartyRef = Type.Object({
  id: PartyId,
  kind: PartyKind,
  match: PartyMatch,
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
});

export const PaymentReference = Type.Object({
  kind: Type.Enum([...REFERENCE_KINDS], { description: 'the scheme: ISO 11649 creditor reference, FIK, KID, OCR, Finnish reference, a SEPA keyword, the invoice number by the tenant\'s pattern, ...' }),
  value: Type.String(),
});

const Ibans = Type.Array(Type.String({ minLength: 5, maxLength: 50, description: 'an IBAN, spaces allowed; its check digits are verified' }), { maxItems: 50 });
const OtherNames = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'other names the party is known by (trading names, former names, how its bank writes it)' });

export const PartyInput = Type.Object(
  {
    id: PartyId,
    kind: PartyKind,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ibans: Type.Optional(Ibans),
    other_names: Type.Optional(OtherNames),
    default_ledger_account_code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'suggested for the transactions matched to the party' }))),
  },
  { additionalProperties: false },
);

export const Party = Type.Object({
  id: PartyId,
  kind: PartyKind,
  name: Type.String(),
  ibans: Type.Array(Type.String()),
  other_names: Type.Array(Type.String()),
  default_ledger_account_code: Nullable(Type.String()),
  created_at: Instant,
  updated_at: Instant,
});
