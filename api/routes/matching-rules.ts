import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { AmountError, compareAmounts, parseAmount } from '../../domain/amount.js';
import { bankAccounts, matchingRules, parties } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { MATCHING_RULE_ORDER, ruleRegexProblem } from '../../matching/rules.js';
import { audit } from '../audit.js';
import { rematchAfterChange } from '../rematch.js';
import { HttpProblem, orNotFound } from '../problems.js';
import { Uuid } from '../schemas/common.js';
import { MatchingRule, matchingRuleView, NewMatchingRule } from '../schemas/matching-rules.js';
import { tenantScoped } from '../tenant-scope.js';

const Params = Type.Object({ ruleId: Uuid });

const invalidRule = (detail: string, location: string) =>
  new HttpProblem(422, `The matching rule is not valid: ${detail}.`, { type: 'invalid-matching-rule', extensions: { errors: [{ location, message: detail }] } });

/** A bound as Postgres numeric(20,4) holds it, or 422. */
function amountBound(text: string | undefined, field: string): string | null {
  if (text === undefined) return null;
  try {
    return parseAmount(text);
  } catch (error) {
    if (error instanceof AmountError) throw invalidRule(error.message, `body/${field}`);
    throw error;
  }
}

/**
 * The tenant's own matching rules: what the counterparty's IBAN and name do not match, a rule on
 * the remittance text or counterparty name, the amount and the account may (matching/rules.ts).
 */
export const matchingRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;

  async function ruleWithParty(request: FastifyRequest, ruleId?: string) {
    return db
      .select({ rule: matchingRules, party: parties.externalId })
      .from(matchingRules)
      .leftJoin(parties, eq(parties.id, matchingRules.partyId))
      .where(tenantScoped(matchingRules, request, ruleId ? eq(matchingRules.id, ruleId) : undefined))
      .orderBy(...MATCHING_RULE_ORDER);
  }

  app.post(
    '/v1/matching-rules',
    {
      schema: {
        tags: ['matching'],
        summary: 'Add a matching rule',
        description:
          "Transactions that the counterparty IBAN and name match to no party are tried against the tenant's rules, highest priority first; " +
          'the first rule whose every condition holds gives its party (match `rule:<id>`) and/or ledger account. ' +
          'A rule needs at least one condition (`condition`, `amount_min`, `amount_max`, `account_id`) and at least one result (`party_id`, `ledger_account_code`). ' +
          'Existing transactions are matched again in the background; the feed reports those whose match changed as modified, once.',
        body: NewMatchingRule,
        response: { 201: MatchingRule },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const amountMin = amountBound(body.amount_min, 'amount_min');
      const amountMax = amountBound(body.amount_max, 'amount_max');
      if (!body.condition && amountMin === null && amountMax === null && !body.account_id) {
        throw invalidRule('it needs at least one condition: condition, amount_min, amount_max or account_id', 'body');
      }
      if (!body.party_id && !body.ledger_account_code) throw invalidRule('it needs at least one result: party_id or ledger_account_code', 'body');
      if (amountMin !== null && amountMax !== null && compareAmounts(amountMin, amountMax) > 0) throw invalidRule('amount_min is greater than amount_max', 'body/amount_min');
      if (body.condition?.operator === 'regex') {
        const problem = ruleRegexProblem(body.condition.value);
        if (problem) throw new HttpProblem(422, `The matching rule's condition is refused: ${problem}.`, { type: 'unsafe-regex', extensions: { errors: [{ location: 'body/condition/value', message: problem }] } });
      }
      if (body.account_id) {
        const [account] = await db.select({ id: bankAccounts.id }).from(bankAccounts).where(tenantScoped(bankAccounts, request, eq(bankAccounts.id, body.account_id)));
        if (!account) throw invalidRule(`there is no bank account with id ${body.account_id}`, 'body/account_id');
      }
      let partyId: string | null = null;
      if (body.party_id) {
        const [party] = await db.select({ id: parties.id }).from(parties).where(tenantScoped(parties, request, eq(parties.externalId, body.party_id)));
        if (!party) throw invalidRule(`there is no party with id ${body.party_id} (register it with PUT /v1/parties first)`, 'body/party_id');
        partyId = party.id;
      }

      const rule = await inTransaction(database, async (tx) => {
        const [inserted] = await tx.db
          .insert(matchingRules)
          .values({
            tenantId: request.tenantId,
            priority: body.priority ?? 0,
            field: body.condition?.field ?? null,
            operator: body.condition?.operator ?? null,
            value: body.condition?.value ?? null,
            amountMin,
            amountMax,
            accountId: body.account_id ?? null,
            partyId,
            ledgerAccountCode: body.ledger_account_code ?? null,
          })
          .returning();
        // The rule's shape, not its text or amounts: a counterparty name is personal data.
        await audit(tx.db, request, 'matching_rule.created', { type: 'matching_rule', id: inserted!.id }, {
          priority: inserted!.priority,
          field: inserted!.field,
          operator: inserted!.operator,
        });
        return inserted!;
      });
      await rematchAfterChange(request);
      return reply
        .code(201)
        .header('location', `/v1/matching-rules/${rule.id}`)
        .send(matchingRuleView(rule, body.party_id ?? null));
    },
  );

  app.get(
    '/v1/matching-rules',
    { schema: { tags: ['matching'], summary: "The tenant's matching rules, in the order they are tried", response: { 200: Type.Object({ data: Type.Array(MatchingRule) }) } } },
    async (request) => ({ data: (await ruleWithParty(request)).map((row) => matchingRuleView(row.rule, row.party)) }),
  );

  app.delete(
    '/v1/matching-rules/:ruleId',
    {
      schema: {
        tags: ['matching'],
        summary: 'Remove a matching rule; the transactions it matched are matched again in the background',
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const [found] = await ruleWithParty(request, request.params.ruleId);
      const { rule } = orNotFound(found, 'matching rule', request.params.ruleId);
      await inTransaction(database, async (tx) => {
        await tx.db.delete(matchingRules).where(and(eq(matchingRules.id, rule.id), eq(matchingRules.tenantId, request.tenantId)));
        await audit(tx.db, request, 'matching_rule.deleted', { type: 'matching_rule', id: rule.id });
      });
      await rematchAfterChange(request);
      return reply.code(204).send(null);
    },
  );
};
