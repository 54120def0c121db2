import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BadRequestError, ConsentExpiredError, ConsentInvalidError, ConsentUnknownError,
} from '../../../providers/nextgenpsd2/errors.js';
import { consentRequest, NOK_REDIRECT_URI, PSU_IP, REDIRECT_URI, startTestBank, type TestBank } from '../../helpers/demobank.js';

let bank: TestBank;
beforeAll(async () => {
  bank = await startTestBank({ maxConsentDays: 90 });
});
afterAll(() => bank.close());

const redirects = { redirectUri: REDIRECT_URI, nokRedirectUri: NOK_REDIRECT_URI };

describe('POST /v1/consents', () => {
  test('answers 201 received with the links of the redirect approach', async () => {
    const requestId = randomUUID();
    const response = await fetch(`${bank.url}/v1/consents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'psu-ip-address': PSU_IP, 'tpp-redirect-uri': REDIRECT_URI },
      body: JSON.stringify(consentRequest()),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { consentId: string };
    expect(body).toEqual({
      consentStatus: 'received',
      consentId: expect.any(String),
      _links: {
        scaRedirect: { href: `${bank.url}/sca/${body.consentId}` },
        self: { href: `/v1/consents/${body.consentId}` },
        status: { href: `/v1/consents/${body.consentId}/status` },
      },
    });
    expect(response.headers.get('location')).toBe(`/v1/consents/${body.consentId}`);
    expect(response.headers.get('aspsp-sca-approach')).toBe('REDIRECT');
    expect(response.headers.get('x-request-id')).toBe(requestId);
  });

  test('the client returns the consent id and where to send the browser', async () => {
    const created = await bank.client.createConsent(consentRequest(), redirects, { psuIpAddress: PSU_IP });
    expect(created).toEqual({ consentId: expect.any(String), consentStatus: 'received', scaRedirect: `${bank.url}/sca/${created.consentId}` });
    expect(await bank.client.getConsentStatus(created.consentId)).toBe('received');
  });

  test.each([
    ['without X-Request-ID', { 'x-request-id': '' }, /X-Request-ID/],
    ['with an X-Request-ID that is no UUID', { 'x-request-id': 'abc' }, /X-Request-ID/],
    ['without PSU-IP-Address', { 'psu-ip-address': '' }, /PSU-IP-Address/],
    ['without TPP-Redirect-URI', { 'tpp-redirect-uri': '' }, /TPP-Redirect-URI/],
    ['with a relative TPP-Redirect-URI', { 'tpp-redirect-uri': '/callback' }, /tpp-redirect-uri/],
  ])('%s is 400 FORMAT_ERROR', async (_, headers, text) => {
    const response = await fetch(`${bank.url}/v1/consents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': randomUUID(), 'psu-ip-address': PSU_IP, 'tpp-redirect-uri': REDIRECT_URI, ...headers },
      body: JSON.stringify(consentRequest()),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toEqual({ tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR', text: expect.stringMatching(text) }] });
  });

  test.each([
    ['a body that misses frequencyPerDay', { ...consentRequest(), frequencyPerDay: undefined }],
    ['a validUntil that is no date', consentRequest({ validUntil: '2025-02-30' })],
    ['a validUntil in the past', consentRequest({ validUntil: '2025-03-09' })],
    ['a one-off consent used more than once a day', consentRequest({ recurringIndicator: false, frequencyPerDay: 4 })],
    ['an access that asks for nothing', consentRequest({ access: {} })],
    ['empty and named lists mixed', consentRequest({ access: { accounts: [], balances: [{ iban: 'DK4399994711000001' }] } })],
  ])('%s is a BadRequestError with FORMAT_ERROR', async (_, body) => {
    const error = await bank.client.createConsent(body as never, redirects, { psuIpAddress: PSU_IP }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'FORMAT_ERROR' });
  });
});

describe('the consent resource', () => {
  test('GET shows the consent as asked before SCA, and as granted after: the validUntil the bank set, the accounts chosen', async () => {
    const created = await bank.client.createConsent(consentRequest({ validUntil: '2025-04-01' }), redirects, { psuIpAddress: PSU_IP });
    const before = await bank.client.getConsent(created.consentId);
    expect(before).toMatchObject({ consentStatus: 'received', validUntil: '2025-04-01', frequencyPerDay: 4, recurringIndicator: true, lastActionDate: '2025-03-10' });
    expect(before.access).toEqual({ accounts: [], balances: [], transactions: [] });

    await bank.authorise(created.scaRedirect, { choose: (ibans) => ibans.slice(0, 2) });
    const after = await bank.client.getConsent(created.consentId);
    expect(after.consentStatus).toBe('valid');
    expect(after.validUntil).toBe('2025-04-01');
    expect(after.access.accounts).toHaveLength(2);
    expect(after.access.transactions).toEqual(after.access.accounts);
  });

  test('the bank shortens validUntil to its maximum, counted from authorisation; 9999-12-31 asks for the maximum', async () => {
    for (const validUntil of ['9999-12-31', '2030-01-01']) {
      const created = await bank.client.createConsent(consentRequest({ validUntil }), redirects, { psuIpAddress: PSU_IP });
      await bank.clock.advance('P2D');
      await bank.authorise(created.scaRedirect, { username: 'anna' });
      const today = (await bank.clock.now()).toISOString().slice(0, 10);
      const expected = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
      expect((await bank.client.getConsent(created.consentId)).validUntil).toBe(expected);
    }
  });

  test('a consent naming accounts grants what it names: balances only where asked', async () => {
    const { accounts } = await bank.connect();
    const [dkk, eur] = [accounts.find((a) => a.currency === 'DKK')!, accounts.find((a) => a.currency === 'EUR')!];
    const { consentId, accounts: granted } = await bank.connect(
      consentRequest({ access: { accounts: [{ iban: dkk.iban }, { iban: eur.iban }], balances: [{ iban: dkk.iban }], transactions: [{ iban: eur.iban, currency: 'EUR' }] } }),
    );
    expect(granted.map((a) => a.iban).sort()).toEqual([dkk.iban, eur.iban].sort());
    const grantedDkk = granted.find((a) => a.iban === dkk.iban)!;
    const grantedEur = granted.find((a) => a.iban === eur.iban)!;
    await expect(bank.client.getBalances(consentId, grantedDkk.resourceId, { psuIpAddress: PSU_IP })).resolves.toMatchObject({ balances: expect.any(Array) });
    await expect(bank.client.getBalances(consentId, grantedEur.resourceId, { psuIpAddress: PSU_IP })).rejects.toMatchObject({ status: 401, code: 'CONSENT_INVALID' });
    await expect(bank.client.getTransactions(consentId, grantedDkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01' }, { psuIpAddress: PSU_IP }))
      .rejects.toBeInstanceOf(ConsentInvalidError);
    await expect(bank.client.listAccounts(consentId, { psuIpAddress: PSU_IP, withBalance: true })).rejects.toBeInstanceOf(ConsentInvalidError);
  });

  test('an availableAccounts consent lists accounts and nothing more', async () => {
    const { consentId, accounts } = await bank.connect(
      consentRequest({ access: { availableAccounts: 'allAccounts' }, recurringIndicator: false, frequencyPerDay: 1 }),
      { username: 'jonas' },
    );
    expect(accounts).toHaveLength(2);
    expect(accounts[0]!._links).toEqual({});
    await expect(bank.client.getTransactions(consentId, accounts[0]!.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01' }, { psuIpAddress: PSU_IP }))
      .rejects.toBeInstanceOf(ConsentInvalidError);
  });

  test('DELETE terminates the consent (204); its data calls then answer 401 CONSENT_INVALID', async () => {
    const { consentId } = await bank.connect();
    const response = await fetch(`${bank.url}/v1/consents/${consentId}`, { method: 'DELETE', headers: { 'x-request-id': randomUUID() } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await bank.client.getConsentStatus(consentId)).toBe('terminatedByTpp');
    const error = await bank.client.listAccounts(consentId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConsentInvalidError);
    expect(error).toMatchObject({ status: 401, code: 'CONSENT_INVALID', bankText: expect.stringContaining('terminatedByTpp') });
    await bank.client.deleteConsent(consentId);
    expect(await bank.client.getConsentStatus(consentId)).toBe('terminatedByTpp');
  });

  test('revoked by the PSU: CONSENT_INVALID; expired: CONSENT_EXPIRED', async () => {
    const revoked = await bank.connect();
    await bank.revokeConsent(revoked.consentId);
    expect(await bank.client.getConsentStatus(revoked.consentId)).toBe('revokedByPsu');
    await expect(bank.client.listAccounts(revoked.consentId)).rejects.toBeInstanceOf(ConsentInvalidError);

    const expired = await bank.connect();
    await bank.expireConsent(expired.consentId);
    expect(await bank.client.getConsentStatus(expired.consentId)).toBe('expired');
    const error = await bank.client.getBalances(expired.consentId, expired.accounts[0]!.resourceId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConsentExpiredError);
    expect(error).toMatchObject({ status: 401, code: 'CONSENT_EXPIRED' });
  });

  test('a new recurring consent of the same PSU expires the earlier ones; other PSUs and one-off consents keep theirs', async () => {
    const first = await bank.connect();
    const oneOff = await bank.connect(consentRequest({ recurringIndicator: false, frequencyPerDay: 1 }));
    const otherUser = await bank.connect(consentRequest(), { username: 'jonas' });
    expect(await bank.client.getConsentStatus(first.consentId)).toBe('valid');

    const second = await bank.connect();
    expect(await bank.client.getConsentStatus(first.consentId)).toBe('expired');
    expect(await bank.client.getConsentStatus(second.consentId)).toBe('valid');
    expect(await bank.client.getConsentStatus(oneOff.consentId)).toBe('valid');
    expect(await bank.client.getConsentStatus(otherUser.consentId)).toBe('valid');
    await expect(bank.client.listAccounts(first.consentId)).rejects.toBeInstanceOf(ConsentExpiredError);
  });

  test('an unknown consent id in the path is 403 CONSENT_UNKNOWN, in the Consent-ID header 400 CONSENT_UNKNOWN', async () => {
    const inPath = await bank.client.getConsent('no-such-consent').catch((caught: unknown) => caught);
    expect(inPath).toBeInstanceOf(ConsentUnknownError);
    expect(inPath).toMatchObject({ status: 403, code: 'CONSENT_UNKNOWN' });
    await expect(bank.client.getConsentStatus('no-such-consent')).rejects.toMatchObject({ status: 403 });
    await expect(bank.client.deleteConsent('no-such-consent')).rejects.toBeInstanceOf(ConsentUnknownError);
    const inHeader = await bank.client.listAccounts('no-such-consent').catch((caught: unknown) => caught);
    expect(inHeader).toBeInstanceOf(ConsentUnknownError);
    expect(inHeader).toMatchObject({ status: 400, code: 'CONSENT_UNKNOWN' });
  });

  test('a consent still awaiting SCA cannot read data', async () => {
    const { consentId } = await bank.client.createConsent(consentRequest(), redirects, { psuIpAddress: PSU_IP });
    await expect(bank.client.listAccounts(consentId)).rejects.toMatchObject({ status: 401, code: 'CONSENT_INVALID', bankText: expect.stringContaining('received') });
  });
});
