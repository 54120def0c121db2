/** `POST /v1/consents`, `GET /v1/consents/{id}`, `GET .../status`, `DELETE /v1/consents/{id}`. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ConsentRequest, type AccountReference, type ConsentAccess, type ConsentInformation } from '../../providers/nextgenpsd2/types.js';
import type { Bank } from '../bank.js';
import { epochDay, isoDate, parseIsoDate } from '../clock.js';
import type { Consent } from '../consents.js';
import { TppError } from '../errors.js';

const ConsentParams = Type.Object({ consentId: Type.String() });

export async function consentRoutes(app: FastifyInstance, { bank }: { bank: Bank }) {
  const config = { endpoint: 'consents' as const };

  app.post('/v1/consents', { config, schema: { body: ConsentRequest } }, async (request, reply) => {
    const body = request.body as ConsentRequest;
    if (!header(request, 'psu-ip-address')) throw new TppError(400, 'FORMAT_ERROR', 'The header PSU-IP-Address is required');
    const redirectUri = redirectHeader(request, 'tpp-redirect-uri');
    if (!redirectUri) throw new TppError(400, 'FORMAT_ERROR', 'The header TPP-Redirect-URI is required: this bank supports the redirect SCA approach only');
    checkConsentRequest(body, epochDay(bank.clock.nowMs()));
    const consent = bank.consents.create(body, redirectUri, redirectHeader(request, 'tpp-nok-redirect-uri') ?? redirectUri);
    const self = `/v1/consents/${consent.id}`;
    return reply
      .code(201)
      .header('Location', self)
      .header('ASPSP-SCA-Approach', 'REDIRECT')
      .send({
        consentStatus: consent.status,
        consentId: consent.id,
        _links: {
          scaRedirect: { href: `${request.protocol}://${request.host}/sca/${consent.id}` },
          self: { href: self },
          status: { href: `${self}/status` },
        },
      });
  });

  app.get('/v1/consents/:consentId', { config, schema: { params: ConsentParams } }, async (request): Promise<ConsentInformation> => {
    const consent = known(bank, request);
    return {
      access: grantedAccess(consent),
      recurringIndicator: consent.request.recurringIndicator,
      validUntil: isoDate(consent.validUntilDay),
      frequencyPerDay: consent.request.frequencyPerDay,
      lastActionDate: isoDate(consent.lastActionDay),
      consentStatus: consent.status,
      _links: { status: { href: `/v1/consents/${consent.id}/status` } },
    };
  });

  app.get('/v1/consents/:consentId/status', { config, schema: { params: ConsentParams } }, async (request) => ({
    consentStatus: known(bank, request).status,
  }));

  app.delete('/v1/consents/:consentId', { config, schema: { params: ConsentParams } }, async (request, reply) => {
    const consent = known(bank, request);
    if (consent.status === 'received' || consent.status === 'valid') consent.status = 'terminatedByTpp';
    return reply.code(204).send();
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A redirect URI header: absolute http(s), kept exactly as given (the TPP's state lives inside it). */
function redirectHeader(request: FastifyRequest, name: string): string | undefined {
  const value = header(request, name);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new TppError(400, 'FORMAT_ERROR', `The header ${name} is not an absolute http(s) URI`);
  return value;
}

/** The rules of the standard that a schema cannot say. */
function checkConsentRequest(body: ConsentRequest, today: number): void {
  const until = parseIsoDate(body.validUntil);
  if (until === undefined) throw new TppError(400, 'FORMAT_ERROR', 'validUntil is not a date');
  if (until < today) throw new TppError(400, 'FORMAT_ERROR', 'validUntil is in the past');
  if (!body.recurringIndicator && body.frequencyPerDay !== 1)
    throw new TppError(400, 'FORMAT_ERROR', 'frequencyPerDay must be 1 for a one-off consent (recurringIndicator false)');
  const { accounts, balances, transactions, availableAccounts, availableAccountsWithBalance, allPsd2 } = body.access;
  const lists = [accounts, balances, transactions].filter((list) => list !== undefined);
  if (lists.length === 0 && !availableAccounts && !availableAccountsWithBalance && !allPsd2)
    throw new TppError(400, 'FORMAT_ERROR', 'access asks for nothing');
  if (lists.some((list) => list.length === 0) && lists.some((list) => list.length > 0))
    throw new TppError(400, 'FORMAT_ERROR', 'access: an empty list asks for all accounts, and then every list must be empty');
  if (lists.flat().some((ref) => !ref.iban)) throw new TppError(400, 'FORMAT_ERROR', 'access: this bank identifies accounts by iban');
}

/** The consent named in the path; an unknown one is 403 CONSENT_UNKNOWN, as the standard has it for path ids. */
function known(bank: Bank, request: FastifyRequest): Consent {
  const consent = bank.consents.get((request.params as { consentId: string }).consentId);
  if (!consent) throw new TppError(403, 'CONSENT_UNKNOWN', 'The consent is not known to the bank');
  return consent;
}

/** The access as authorised: a bank-offered consent lists the accounts the PSU chose. */
function grantedAccess(consent: Consent): ConsentAccess {
  const asked = consent.request.access;
  if (consent.accounts.length === 0) return asked;
  const ref = ({ account }: Consent['accounts'][number]): AccountReference => ({ iban: account.iban, currency: account.currency });
  const access: ConsentAccess = { accounts: consent.accounts.map(ref) };
  const balances = consent.accounts.filter((granted) => granted.balances).map(ref);
  const transactions = consent.accounts.filter((granted) => granted.transactions).map(ref);
  if (balances.length > 0) access.balances = balances;
  if (transactions.length > 0) access.transactions = transactions;
  return access;
}
