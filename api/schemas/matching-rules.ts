import { Type, type Static } from '@fastify/type-provider-typebox';
import { formatAmount, parseAmount } from '../../domain/amount.js';
import { MATCHING_RULE_FIELDS, MATCHING_RULE_OPERATORS } from '../../domain/matching-rules.js';
import type { matchingRules } from '../../db/schema.js';
import { Amount, Instant, Nullable, Uuid } from './common.js';

const Condition = Type.Object(
  {
    field: Type.Enum([...MATCHING_RULE_FIELDS], { description: 'text: the remittance information; counterparty: the counterparty name' }),
    operator: Type.Enum([...MATCHING_RULE_OPERATORS], {
      description:
        'case-insensitive. contains and equals ignore runs of white space; regex: a JavaScript regular expression (u and i flags, no slashes), ' +
        'at most 200 characters, without backreferences, lookbehind or nested repetition (422 `unsafe-regex` otherwise)',
    }),
    value: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const PartyRef = Type.String({ minLength: 1, maxLength: 200, description: "the ledger's id of a registered party (PUT /v1/parties)" });
const LedgerAccountCode = Type.String({ minLength: 1, maxLength: 100, description: 'the ledger account to suggest' });
const Priority = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, description: 'higher first; among equal priorities the older rule first' });

export const NewMatchingRule = Type.Object(
  {
    priority: Type.Optional({ ...Priority, default: 0 }),
    condition: Type.Optional(Condition),
    amount_min: Type.Optional({ ...Amount, description: 'signed (debits negative), inclusive' }),
    amount_max: Type.Optional({ ...Amount, description: 'signed (debits negative), inclusive' }),
    account_id: Type.Optional({ ...Uuid, description: "only transactions of this bank account of the tenant's" }),
    party_id: Type.Optional(PartyRef),
    ledger_account_code: Type.Optional(LedgerAccountCode),
  },
  { additionalProperties: false },
);
export type NewMatchingRule = Static<typeof NewMatchingRule>;

export const MatchingRule = Type.Object({
  id: Uuid,
  priority: Priority,
  condition: Nullable(Condition),
  amount_min: Nullable(Amount),
  amount_max: Nullable(Amount),
  account_id: Nullable(Uuid),
  party_id: Nullable(PartyRef),
  ledger_account_code: Nullable(LedgerAccountCode),
  created_at: Instant,
});

/** A rule as the API shows it, with its party's ledger id. */
export function matchingRuleView(rule: typeof matchingRules.$inferSelect, partyExternalId: string | null): Static<typeof MatchingRule> {
  // No currency to format with ('XXX' has none): as many decimals as the bound has, at least two.
  const bound = (amount: string | null) => (amount === null ? null : formatAmount(parseAmount(amount), 'XXX'));
  return {
    id: rule.id,
    priority: rule.priority,
    condition: rule.field && rule.operator && rule.value !== null ? { field: rule.field, operator: rule.operator, value: rule.value } : null,
    amount_min: bound(rule.amountMin),
    amount_max: bound(rule.amountMax),
    account_id: rule.accountId,
    party_id: partyExternalId,
    ledger_account_code: rule.ledgerAccountCode,
    created_at: rule.createdAt.toISOString(),
  };
}
