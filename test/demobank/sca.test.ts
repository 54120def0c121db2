import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consentRequest, NOK_REDIRECT_URI, PSU_IP, REDIRECT_URI, startTestBank, type TestBank } from '../helpers/demobank.js';

const SLOW_LOGIN_MS = 400;
let bank: TestBank;
beforeAll(async () => {
  bank = await startTestBank({ slowLoginMs: SLOW_LOGIN_MS });
});
afterAll(() => bank.close());

async function newConsent(redirects: { redirectUri: string; nokRedirectUri?: string } = { redirectUri: REDIRECT_URI, nokRedirectUri: NOK_REDIRECT_URI }, request = consentRequest()) {
  return bank.client.createConsent(request, redirects, { psuIpAddress: PSU_IP });
}

function post(url: string, fields: [string, string][], cookie?: string) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    body: new URLSearchParams(fields).toString(),
  });
}

const login = (scaRedirect: string, username: string, password = '12345', otp = '12345') =>
  post(`${scaRedirect}/login`, [['username', username], ['password', password], ['otp', otp], ['action', 'login']]);

describe('login', () => {
  test('the page is a form with username, password and one-time code, each labelled', async () => {
    const { scaRedirect } = await newConsent();
    const response = await fetch(scaRedirect);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const field of ['username', 'password', 'otp']) {
      expect(html).toContain(`name="${field}"`);
      expect(html).toContain(`<label for="${field}">`);
    }
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('bankfeed.example');
  });

  test('a wrong password shows the login again with an error and the username kept; the next try can succeed', async () => {
    const { scaRedirect, consentId } = await newConsent();
    const wrong = await login(scaRedirect, 'embedded', 'guess');
    expect(wrong.status).toBe(200);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('2 attempts left');
    expect(html).toContain('value="embedded"');
    expect(await bank.client.getConsentStatus(consentId)).toBe('received');
    expect((await login(scaRedirect, 'embedded')).status).toBe(303);
  });

  test('the third wrong login rejects the consent and returns to the nok URI exactly as given', async () => {
    const { scaRedirect, consentId } = await newConsent();
    await login(scaRedirect, 'embedded', '1');
    await login(scaRedirect, 'embedded', '12345', '000000');
    const third = await login(scaRedirect, 'nobody');
    expect(third.status).toBe(303);
    expect(third.headers.get('location')).toBe(NOK_REDIRECT_URI);
    expect(await bank.client.getConsentStatus(consentId)).toBe('rejected');
    expect((await fetch(scaRedirect)).status).toBe(409);
  });

  test('cancel rejects the consent; without a nok URI the browser goes to the redirect URI', async () => {
    const { scaRedirect, consentId } = await newConsent({ redirectUri: REDIRECT_URI });
    const cancelled = await post(`${scaRedirect}/login`, [['action', 'cancel']]);
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get('location')).toBe(REDIRECT_URI);
    expect(await bank.client.getConsentStatus(consentId)).toBe('rejected');
  });

  test('"wrong": every login fails, whatever the password', async () => {
    const { scaRedirect } = await newConsent();
    const response = await login(scaRedirect, 'wrong');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('is wrong');
  });

  test('"technical": a technical error page, the consent rejected, a way back to the nok URI', async () => {
    const { scaRedirect, consentId } = await newConsent();
    const response = await login(scaRedirect, 'technical');
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain('Technical error');
    expect(html).toContain(`href="${NOK_REDIRECT_URI.replace(/&/g, '&#38;')}"`);
    expect(await bank.client.getConsentStatus(consentId)).toBe('rejected');
  });

  test('"maintenance": a maintenance page; the consent stays open until the user goes back', async () => {
    const { scaRedirect, consentId } = await newConsent();
    const response = await login(scaRedirect, 'maintenance');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('maintenance');
    expect(await bank.client.getConsentStatus(consentId)).toBe('received');
    const back = await post(`${scaRedirect}/login`, [['action', 'cancel']]);
    expect(back.headers.get('location')).toBe(NOK_REDIRECT_URI);
  });

  test('"slow": the login takes its time, then works', async () => {
    const { scaRedirect } = await newConsent();
    const started = performance.now();
    const response = await login(scaRedirect, 'slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_LOGIN_MS - 10);
    expect(response.status).toBe(303);
  });

  test('an unknown consent has no login page', async () => {
    expect((await fetch(`${bank.url}/sca/no-such-consent`)).status).toBe(404);
  });
});

describe('account selection', () => {
  test('needs the login of this browser', async () => {
    const { scaRedirect } = await newConsent();
    await login(scaRedirect, 'embedded');
    const response = await fetch(`${scaRedirect}/accounts`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(new URL(scaRedirect).pathname);
  });

  test('offers the accounts as checkboxes named accounts; none chosen is an error; the choice redirects to the TPP exactly', async () => {
    const { scaRedirect, consentId } = await newConsent();
    const loggedIn = await login(scaRedirect, 'jonas');
    const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${scaRedirect}/accounts`, { headers: { cookie } })).text();
    const offered = [...page.matchAll(/<input type="checkbox" name="accounts" value="([^"]+)">/g)].map(([, id]) => id!);
    expect(offered).toHaveLength(2);

    const none = await post(`${scaRedirect}/accounts`, [['action', 'confirm']], cookie);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('Choose at least one account');

    const chosen = await post(`${scaRedirect}/accounts`, [['accounts', offered[1]!], ['action', 'confirm']], cookie);
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(REDIRECT_URI);
    const accounts = await bank.client.listAccounts(consentId, { psuIpAddress: PSU_IP });
    expect(accounts.map((account) => account.resourceId)).toEqual([offered[1]]);
  });

  test('cancel there rejects the consent', async () => {
    const { scaRedirect, consentId } = await newConsent();
    const cookie = (await login(scaRedirect, 'anna')).headers.get('set-cookie')!.split(';')[0]!;
    const cancelled = await post(`${scaRedirect}/accounts`, [['action', 'cancel']], cookie);
    expect(cancelled.headers.get('location')).toBe(NOK_REDIRECT_URI);
    expect(await bank.client.getConsentStatus(consentId)).toBe('rejected');
  });

  test('a consent naming accounts offers only those', async () => {
    const iban = (await bank.connect()).accounts.find((account) => account.currency === 'SEK')!.iban!;
    const { scaRedirect } = await newConsent(undefined, consentRequest({ access: { accounts: [{ iban }], balances: [{ iban }], transactions: [{ iban }] } }));
    const cookie = (await login(scaRedirect, 'embedded')).headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${scaRedirect}/accounts`, { headers: { cookie } })).text();
    expect(page.match(/name="accounts"/g)).toHaveLength(1);
    expect(page).toContain(iban.replace(/(.{4})(?=.)/g, '$1 '));
  });
});
