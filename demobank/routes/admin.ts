/**
 * The admin surface under /_demobank (only when enabled): the bank's clock, ground truth, fault
 * switches, and consents ended from the bank's side. Not part of any standard.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Bank } from '../bank.js';
import { epochDay, isoDate } from '../clock.js';
import { DurationError, parseDuration } from '../duration.js';
import { FaultsBody } from '../faults.js';
import { BUSINESS_PARTIES } from '../parties.js';
import { referencesOf } from '../references.js';
import { CANONICAL_IDS, renderEntry } from '../render.js';

const ClockChange = Type.Object(
  { advance: Type.Optional(Type.String()), scale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
  { additionalProperties: false },
);

export async function adminRoutes(app: FastifyInstance, { bank }: { bank: Bank }) {
  const clockState = () => ({ now: bank.clock.now().toISOString(), today: isoDate(epochDay(bank.clock.nowMs())), scale: bank.clock.scale });

  app.get('/_demobank/clock', async () => clockState());

  app.post('/_demobank/clock', { schema: { body: ClockChange } }, async (request, reply) => {
    const change = request.body as Static<typeof ClockChange>;
    let advanceMs = 0;
    try {
      if (change.advance !== undefined) advanceMs = parseDuration(change.advance);
    } catch (error) {
      if (error instanceof DurationError) return reply.code(400).send({ error: error.message });
      throw error;
    }
    if (change.scale !== undefined) bank.clock.setScale(change.scale);
    bank.clock.advance(advanceMs);
    return clockState();
  });

  /**
   * Every booked entry of the account up to the bank's now, with the bank's real ids, streamed;
   * each with its `truth`: the party it really is with (null: nobody a ledger registers) and the
   * payment references its text carries, whatever the bank made of the names.
   */
  app.get('/_demobank/accounts/:resourceId/truth', async (request, reply) => {
    const found = bank.consents.resource((request.params as { resourceId: string }).resourceId);
    if (!found) return reply.code(404).send({ error: 'no account has this resourceId' });
    const { account } = found.granted;
    const nowMs = bank.clock.nowMs();
    const ids = CANONICAL_IDS(bank.seed);
    function* json() {
      yield `{"account":${JSON.stringify({ iban: account.iban, currency: account.currency })},"transactions":{"booked":[`;
      let first = true;
      let chunk = '';
      for (const [entry] of bank.ledger.booked(account, bank.ledger.firstDay, epochDay(nowMs), nowMs)) {
        const truth = { partyId: entry.partyId, references: referencesOf(entry) };
        chunk += `${first ? '' : ','}${JSON.stringify({ ...renderEntry(account, entry, true, ids), truth })}`;
        first = false;
        if (chunk.length > 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      yield `${chunk}]}}`;
    }
    return reply.type('application/json').send(Readable.from(json()));
  });

  /** The parties a ledger keeping one of the business accounts (firma) registers, as it would send them to PUT /v1/parties. */
  app.get('/_demobank/parties', async () => ({
    parties: BUSINESS_PARTIES.map((party) => ({ id: party.id, kind: party.kind, name: party.name, ibans: party.iban ? [party.iban] : [], other_names: party.otherNames ?? [] })),
  }));

  app.get('/_demobank/faults', async () => bank.faults.describe());

  app.post('/_demobank/faults', { schema: { body: FaultsBody } }, async (request) => {
    bank.faults.set(request.body as FaultsBody);
    return bank.faults.describe();
  });

  app.delete('/_demobank/faults', async () => {
    bank.faults.set({ faults: [] });
    return bank.faults.describe();
  });

  app.post('/_demobank/consents/:consentId/expire', async (request, reply) => endConsent(request.params, reply, 'expired'));
  app.post('/_demobank/consents/:consentId/revoke', async (request, reply) => endConsent(request.params, reply, 'revokedByPsu'));

  function endConsent(params: unknown, reply: FastifyReply, status: 'expired' | 'revokedByPsu') {
    const consent = bank.consents.get((params as { consentId: string }).consentId);
    if (!consent) return reply.code(404).send({ error: 'no consent has this id' });
    consent.status = status;
    return { consentId: consent.id, consentStatus: consent.status };
  }
}
