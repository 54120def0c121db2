/** What a matching rule's condition reads: the remittance information, or the counterparty's name. */
export const MATCHING_RULE_FIELDS = ['text', 'counterparty'] as const;
export type MatchingRuleField = (typeof MATCHING_RULE_FIELDS)[number];

/** How a matching rule's condition compares, always case-insensitive. */
export const MATCHING_RULE_OPERATORS = ['contains', 'equals', 'regex'] as const;
export type MatchingRuleOperator = (typeof MATCHING_RULE_OPERATORS)[number];
