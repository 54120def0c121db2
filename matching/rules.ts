import { asc, desc, eq } from 'drizzle-orm';
import { compareAmounts } from '../domain/amount.js';
import type { MatchingRuleOperator } from '../domain/matching-rules.js';
import type { Database } from '../db/client.js';
import { matchingRules, parties } from '../db/schema.js';
import type { MatchInput, MatchStep, RuleDecision } from './party-matcher.js';
import { MAX_PATTERN_LENGTH } from './references/invoice-pattern.js';
import { patternShape, UnsafePattern } from './references/pattern-shape.js';

/**
 * How certain a rule's match is, by its text condition. The tenant wrote the rule, but only
 * `equals` says exactly which texts it means; `contains` and `regex` also meet texts the tenant
 * did not foresee, and a rule on amount and account alone still more.
 */
export const RULE_CONFIDENCE: Record<MatchingRuleOperator | 'none', number> = { equals: 1, contains: 0.9, regex: 0.9, none: 0.8 };

type MatchingRuleRow = typeof matchingRules.$inferSelect;

interface CompiledRule {
  decision: RuleDecision;
  meets: (entry: MatchInput) => boolean;
}

/** A tenant's rules, compiled and in the order they are tried (loadMatchingRules). */
export type TenantRules = readonly CompiledRule[];

/**
 * Why a regular expression cannot be a rule's condition, in words fit for an API answer; undefined
 * when it can. The rules are those of the tenant's invoice-number pattern (pattern-shape.ts): at
 * most 200 characters, compiles with the `u` flag, can only backtrack a bounded number of ways,
 * and needs at least one character (a pattern that matches nothing matches every text).
 */
export function ruleRegexProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `the regular expression is ${source.length} characters long, at most ${MAX_PATTERN_LENGTH} are allowed`;
  try {
    new RegExp(source, 'iu');
  } catch (error) {
    return `the regular expression is not valid (with the u flag): ${(error as Error).message}`;
  }
  try {
    if (patternShape(source).minLength === 0) return 'the regular expression matches the empty string, so every text: it must need at least one character';
  } catch (error) {
    if (error instanceof UnsafePattern) return `the regular expression ${error.message}`;
    throw error;
  }
  return undefined;
}

/** Case and runs of white space do not count: banks pad and re-case texts as they please. */
function folded(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function textTest(operator: MatchingRuleOperator, value: string): (text: string) => boolean {
  if (operator === 'regex') {
    const pattern = new RegExp(value, 'iu');
    return (text) => pattern.test(text);
  }
  const wanted = folded(value);
  return operator === 'equals' ? (text) => folded(text) === wanted : (text) => folded(text).includes(wanted);
}

/**
 * A rule as a test (every condition it has must hold) and what it gives: its party, and its
 * ledger account or else the party's default one (`partyLedgerAccountCode`).
 */
export function compileRule(rule: MatchingRuleRow, partyLedgerAccountCode: string | null = null): CompiledRule {
  const conditions: ((entry: MatchInput) => boolean)[] = [];
  if (rule.accountId) conditions.push((entry) => entry.accountId === rule.accountId);
  if (rule.amountMin !== null) conditions.push((entry) => compareAmounts(entry.amount, rule.amountMin!) >= 0);
  if (rule.amountMax !== null) conditions.push((entry) => compareAmounts(entry.amount, rule.amountMax!) <= 0);
  if (rule.field && rule.operator && rule.value !== null) {
    const test = textTest(rule.operator, rule.value);
    const read = rule.field === 'text' ? (entry: MatchInput) => entry.remittanceInformation : (entry: MatchInput) => entry.counterpartyName;
    conditions.push((entry) => {
      const text = read(entry);
      return typeof text === 'string' && test(text);
    });
  }
  return {
    decision: {
      partyId: rule.partyId,
      match: 'rule',
      confidence: RULE_CONFIDENCE[rule.operator ?? 'none'],
      ledgerAccountCode: rule.ledgerAccountCode ?? partyLedgerAccountCode,
      ruleId: rule.id,
    },
    meets: (entry) => conditions.every((condition) => condition(entry)),
  };
}

/** The order rules are tried in: highest priority first, the oldest first among equals. */
export const MATCHING_RULE_ORDER = [desc(matchingRules.priority), asc(matchingRules.createdAt), asc(matchingRules.id)];

/**
 * The tenant's rules in the order they are tried: highest priority first, the oldest first among
 * equals. Loaded once per fetch, file or re-matching batch, and evaluated in memory.
 */
export async function loadMatchingRules(db: Pick<Database, 'select'>, tenantId: string): Promise<TenantRules> {
  const rows = await db
    .select({ rule: matchingRules, partyLedgerAccountCode: parties.defaultLedgerAccountCode })
    .from(matchingRules)
    .leftJoin(parties, eq(parties.id, matchingRules.partyId))
    .where(eq(matchingRules.tenantId, tenantId))
    .orderBy(...MATCHING_RULE_ORDER);
  return rows.map((row) => compileRule(row.rule, row.partyLedgerAccountCode));
}

/** What the first rule the entry meets gives it, or undefined when it meets none. */
export function matchRule(rules: TenantRules, entry: MatchInput): RuleDecision | undefined {
  return rules.find((rule) => rule.meets(entry))?.decision;
}

/** The tenant's rules as the matcher's last step: for each entry the steps before left open, the first rule it meets. */
export function rulesStep(rules: TenantRules): MatchStep {
  return async (_database, _tenantId, entries) => entries.map((entry) => matchRule(rules, entry));
}
