import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { eq, sql } from 'drizzle-orm';
import { parties } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { confirmParty, lockTransaction, unconfirmParty } from '../../matching/confirmation.js';
import { audit } from '../audit.js';
import { rematchAfterChange } from '../rematch.js';
import { HttpProblem, orNotFound } from '../problems.js';
import { Nullable, Uuid } from '../schemas/common.js';
import { Transaction, transactionView, type TransactionRow } from '../schemas/transactions.js';
import { tenantScoped } from '../tenant-scope.js';
import { bookedRow } from '../transaction-rows.js';

const Params = Type.Object({ transactionId: Uuid });

const PartyConfirmation = Type.Object(
  {
    party_id: Nullable(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "the ledger's id of a registered party: the transaction is that party's for good; null: matched automatically again",
      }),
    ),
  },
  { additionalProperties: false },
);

/** What the ledger says about one booked transaction: whose it is. */
export const transactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;

  app.patch(
    '/v1/transactions/:transactionId',
    {
      schema: {
        tags: ['matching'],
        summary: "Confirm a booked transaction's party, or take the confirmation back",
        description:
          'A party_id sets the party with match `confirmed` and confidence 1, clears the candidates, and wins over automatic matching for good: re-matching never changes it. ' +
          "It also teaches: the counterparty IBAN and name become identifiers of that party, so later transactions match it (existing ones are matched again in the background). " +
          'null takes the confirmation back: what it taught goes, unless another confirmed transaction of the party teaches the same, and the transaction is matched automatically again at once. ' +
          'The feed reports the transaction as modified.',
        params: Params,
        body: PartyConfirmation,
        response: { 200: Transaction },
      },
    },
    async (request) => {
      const { transactionId } = request.params;
      const externalId = request.body.party_id;
      const taught = await inTransaction(database, async (tx) => {
        const row = orNotFound(await lockTransaction(tx, request.tenantId, transactionId), 'transaction', transactionId);
        let partyId: string | undefined;
        if (externalId !== null) {
          const [party] = await tx.db.select({ id: parties.id }).from(parties).where(tenantScoped(parties, request, eq(parties.externalId, externalId)));
          if (!party) throw new HttpProblem(422, `There is no party with id ${externalId} (register it with PUT /v1/parties first).`, { type: 'unknown-party' });
          partyId = party.id;
        }
        const { learned, unlearned } = partyId ? await confirmParty(tx, request.tenantId, row, partyId) : await unconfirmParty(tx, request.tenantId, row);
        // Ids and counts: what was learned is a name or an IBAN.
        await audit(tx.db, request, partyId ? 'transaction.party_confirmed' : 'transaction.party_unconfirmed', { type: 'transaction', id: transactionId }, {
          party_id: partyId ?? row.party_id,
          learned,
          unlearned,
        });
        return learned + unlearned > 0;
      });
      // What the party learned or unlearned may match other transactions now, or no longer.
      if (taught) await rematchAfterChange(request);
      const [view] = await database.rows<TransactionRow>(sql`select ${bookedRow} from transactions t where t.id = ${transactionId}`);
      return transactionView(view!);
    },
  );
};
