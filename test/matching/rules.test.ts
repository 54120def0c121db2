/** Matching rules as a batch sees them: which rule a transaction meets, in which order, and which regular expressions are refused. */
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { matchingRules } from '../../db/schema.js';
import type { MatchInput } from '../../matching/party-matcher.js';
import { compileRule, matchRule, RULE_CONFIDENCE, ruleRegexProblem } from '../../matching/rules.js';

type Row = typeof matchingRules.$inferSelect;
const ACCOUNT = randomUUID();

function rule(overrides: Partial<Row>): Row {
  return {
    id: randomUUID(),
    tenantId: randomUUID(),
    priority: 0,
    field: null,
    operator: null,
    value: null,
    amountMin: null,
    amountMax: null,
    accountId: null,
    partyId: randomUUID(),
    ledgerAccountCode: null,
    createdAt: new Date(),
    ...overrides,
  };
}

const subject = (overrides: Partial<MatchInput> = {}): MatchInput => ({
  accountId: ACCOUNT,
  amount: '-4500.0000',
  counterpartyName: 'Ejendomsselskabet Nørrebro ApS',
  remittanceInformation: 'Husleje  MARTS 2026',
  ...overrides,
});

const meets = (row: Partial<Row>, overrides: Partial<MatchInput> = {}) => matchRule([compileRule(rule(row))], subject(overrides)) !== undefined;

describe('conditions', () => {
  test('contains and equals ignore case and runs of white space; a missing text meets no text condition', () => {
    expect(meets({ field: 'text', operator: 'contains', value: 'husleje marts' })).toBe(true);
    expect(meets({ field: 'text', operator: 'contains', value: 'april' })).toBe(false);
    expect(meets({ field: 'counterparty', operator: 'equals', value: 'EJENDOMSSELSKABET  NØRREBRO APS' })).toBe(true);
    expect(meets({ field: 'counterparty', operator: 'equals', value: 'Ejendomsselskabet Nørrebro' })).toBe(false);
    expect(meets({ field: 'counterparty', operator: 'contains', value: 'nørrebro' }, { counterpartyName: null })).toBe(false);
    expect(meets({ field: 'text', operator: 'contains', value: 'husleje' }, { remittanceInformation: null })).toBe(false);
  });

  test('regex is case-insensitive and Unicode-aware', () => {
    expect(meets({ field: 'text', operator: 'regex', value: '^husleje\\s+\\p{L}{4,8} \\d{4}$' })).toBe(true);
    expect(meets({ field: 'counterparty', operator: 'regex', value: 'nørrebro aps$' })).toBe(true);
    expect(meets({ field: 'text', operator: 'regex', value: '^marts' })).toBe(false);
  });

  test('amount bounds are signed, inclusive and exact', () => {
    expect(meets({ amountMin: '-5000.0000', amountMax: '-4000.0000' })).toBe(true);
    expect(meets({ amountMin: '-4500.0000', amountMax: '-4500.0000' })).toBe(true);
    expect(meets({ amountMin: '-4499.9999' })).toBe(false);
    expect(meets({ amountMax: '-4500.0001' })).toBe(false);
    expect(meets({ amountMin: '4000.0000', amountMax: '5000.0000' })).toBe(false);
    expect(meets({ amountMin: '0.1000' }, { amount: '0.1' })).toBe(true);
  });

  test('an account condition meets that account only; every condition must hold', () => {
    expect(meets({ accountId: ACCOUNT })).toBe(true);
    expect(meets({ accountId: randomUUID() })).toBe(false);
    expect(meets({ accountId: ACCOUNT, field: 'text', operator: 'contains', value: 'husleje', amountMax: '-5000.0000' })).toBe(false);
    expect(meets({ accountId: ACCOUNT, field: 'text', operator: 'contains', value: 'husleje', amountMax: '-4000.0000' })).toBe(true);
  });
});

test('the highest priority wins, the oldest among equals; the outcome names the rule and its confidence', () => {
  const older = rule({ priority: 5, field: 'text', operator: 'contains', value: 'husleje', ledgerAccountCode: '3400' });
  const newer = rule({ priority: 5, field: 'text', operator: 'equals', value: 'husleje marts 2026' });
  const higher = rule({ priority: 10, amountMax: '0', partyId: null, ledgerAccountCode: '9999' });
  const lower = rule({ priority: -1, accountId: ACCOUNT });
  // loadMatchingRules orders them so; matchRule takes the first that holds.
  const ordered = [higher, older, newer, lower].map((row) => compileRule(row));
  expect(matchRule(ordered, subject())).toEqual({ ruleId: higher.id, match: 'rule', partyId: null, ledgerAccountCode: '9999', confidence: RULE_CONFIDENCE.none });
  expect(matchRule(ordered, subject({ amount: '10' }))).toEqual({ ruleId: older.id, match: 'rule', partyId: older.partyId, ledgerAccountCode: '3400', confidence: RULE_CONFIDENCE.contains });
  expect(matchRule(ordered.slice(2), subject({ amount: '10' }))).toMatchObject({ ruleId: newer.id, confidence: 1 });
  expect(matchRule(ordered, subject({ amount: '10', remittanceInformation: 'Faktura 17' }))).toMatchObject({ ruleId: lower.id });
  expect(matchRule([], subject())).toBeUndefined();
  // Without a ledger account of its own, a rule suggests its party's default one.
  expect(matchRule([compileRule(newer, '4010')], subject())).toMatchObject({ ledgerAccountCode: '4010' });
  expect(matchRule([compileRule(older, '4010')], subject())).toMatchObject({ ledgerAccountCode: '3400' });
});

test('regular expressions that could backtrack without bound, or match every text, are refused with a reason', () => {
  expect(ruleRegexProblem('^husleje\\s\\w+')).toBeUndefined();
  expect(ruleRegexProblem('(?:RE|INV)-?\\s?(\\d{4,8})')).toBeUndefined();
  expect(ruleRegexProblem('(a+)+$')).toMatch(/^the regular expression /);
  expect(ruleRegexProblem('(a|ab)*c')).toMatch(/^the regular expression /);
  expect(ruleRegexProblem('(x)\\1')).toMatch(/^the regular expression /);
  expect(ruleRegexProblem('\\d*\\d*\\d*\\d*x')).toMatch(/too many ways/);
  expect(ruleRegexProblem('a*')).toMatch(/empty string/);
  expect(ruleRegexProblem('[')).toMatch(/not valid/);
  expect(ruleRegexProblem('a'.repeat(201))).toMatch(/201 characters long/);
});
