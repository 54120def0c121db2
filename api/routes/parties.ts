import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { eq, gt, ilike } from 'drizzle-orm';
import { parties } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { normaliseIban } from '../../domain/iban.js';
import { deleteParty, upsertParties, type PartyInput as StoredPartyInput } from '../../parties/store.js';
import { audit } from '../audit.js';
import { rematchAfterChange } from '../rematch.js';
import { decodeCursor, page } from '../pagination.js';
import { HttpProblem, orNotFound } from '../problems.js';
import { Page, PageQuery } from '../schemas/common.js';
import { Party, PartyId, PartyInput, PartyKind } from '../schemas/parties.js';
import { tenantScoped } from '../tenant-scope.js';

/** As many parties as one request registers: a ledger's whole customer and supplier list in a few requests. */
export const MAX_PARTIES_PER_REQUEST = 10_000;
/** 10,000 parties with long names and several IBANs each. */
const PARTIES_BODY_LIMIT = 32 * 1024 * 1024;

const Params = Type.Object({ partyId: PartyId });

const partyView = (row: typeof parties.$inferSelect) => ({
  id: row.externalId,
  kind: row.kind,
  name: row.name,
  ibans: row.ibans,
  other_names: row.otherNames,
  default_ledger_account_code: row.defaultLedgerAccountCode,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

/** The request's parties as stored: IBANs checked and in electronic form, ids once each; else a 400 naming the first that is not. */
function checkedParties(body: readonly Static<typeof PartyInput>[]): StoredPartyInput[] {
  const seen = new Set<string>();
  return body.map((party, index) => {
    if (seen.has(party.id)) throw new HttpProblem(400, `The id ${JSON.stringify(party.id)} comes twice (parties/${index}): each party once per request.`, { type: 'duplicate-party' });
    seen.add(party.id);
    const ibans = (party.ibans ?? []).map((text, at) => {
      const iban = normaliseIban(text);
      if (!iban) throw new HttpProblem(400, `parties/${index}/ibans/${at} is not a valid IBAN: its check digits do not match.`, { type: 'invalid-iban' });
      return iban;
    });
    return { externalId: party.id, kind: party.kind, name: party.name, ibans, otherNames: party.other_names ?? [], defaultLedgerAccountCode: party.default_ledger_account_code ?? null };
  });
}

/**
 * The ledger's customers, suppliers, employees and other parties, by the ledger's own ids: what
 * transactions are matched to. Names and IBANs are personal data: the audit trail counts them only.
 */
export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;

  app.put(
    '/v1/parties',
    {
      bodyLimit: PARTIES_BODY_LIMIT,
      schema: {
        tags: ['parties'],
        summary: 'Register or update parties in bulk, by your own ids',
        description:
          `Up to ${MAX_PARTIES_PER_REQUEST.toLocaleString('en')} parties per request, all or none. A party given again is replaced by what this request says ` +
          '(its IBANs and other names too); what bankfeed learned from transactions you confirmed stays. IBAN check digits are verified. ' +
          'New transactions are matched to the parties from then on; existing ones are matched again in the background, and the feed reports those whose match changed as modified, once.',
        body: Type.Object({ parties: Type.Array(PartyInput, { minItems: 1, maxItems: MAX_PARTIES_PER_REQUEST }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }) },
      },
    },
    async (request) => {
      const checked = checkedParties(request.body.parties);
      const counts = await inTransaction(database, async (tx) => {
        const stored = await upsertParties(tx, request.tenantId, checked);
        await audit(tx.db, request, 'parties.upserted', { type: 'tenant', id: request.tenantId }, stored);
        return stored;
      });
      await rematchAfterChange(request);
      return counts;
    },
  );

  app.get(
    '/v1/parties',
    {
      schema: {
        tags: ['parties'],
        summary: "The tenant's parties",
        querystring: Type.Object({
          ...PageQuery,
          kind: Type.Optional(PartyKind),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'text in the name' })),
        }),
        response: { 200: Page(Party) },
      },
    },
    async (request) => {
      const { limit = 100, cursor, kind, q } = request.query;
      const after = cursor ? decodeCursor(cursor, ['uuid']) : undefined;
      const rows = await db
        .select()
        .from(parties)
        .where(
          tenantScoped(
            parties,
            request,
            kind ? eq(parties.kind, kind) : undefined,
            q ? ilike(parties.name, `%${q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
            after ? gt(parties.id, after[0]) : undefined,
          ),
        )
        .orderBy(parties.id)
        .limit(limit + 1);
      return page(rows, limit, partyView, (row) => [row.id]);
    },
  );

  app.get(
    '/v1/parties/:partyId',
    { schema: { tags: ['parties'], summary: 'A party, by your id', params: Params, response: { 200: Party } } },
    async (request) => {
      const [row] = await db.select().from(parties).where(tenantScoped(parties, request, eq(parties.externalId, request.params.partyId)));
      return partyView(orNotFound(row, 'party', request.params.partyId));
    },
  );

  app.delete(
    '/v1/parties/:partyId',
    {
      schema: {
        tags: ['parties'],
        summary: 'Remove a party',
        description: 'The transactions matched to it (or naming it as a candidate) are matched again at once, without it; the feed reports them as modified.',
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { partyId } = request.params;
      const deleted = await inTransaction(database, async (tx) => {
        const removed = await deleteParty(tx, request.tenantId, partyId);
        if (removed) await audit(tx.db, request, 'party.deleted', { type: 'party', id: removed.id }, { unmatched: removed.unmatched });
        return removed;
      });
      orNotFound(deleted, 'party', partyId);
      return reply.code(204).send(null);
    },
  );
};
