/**
 * The SCA pages in a real browser (Debian's chromium through playwright-core): login with one
 * wrong password first, account selection, and the redirect back to the TPP. Screenshots of each
 * page land in test-results/screenshots/ (git-ignored) for a look by eye.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { consentRequest, PSU_IP, startTestBank, type TestBank } from '../helpers/demobank.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED: the SCA browser test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);

let bank: TestBank;
let browser: Browser;
let tpp: Server;
let tppUrl: string;

beforeAll(async () => {
  if (!hasChromium) return;
  bank = await startTestBank();
  // The TPP's callback: where the bank sends the browser back.
  tpp = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('back at the TPP'));
  tpp.listen(0, '127.0.0.1');
  await once(tpp, 'listening');
  tppUrl = `http://127.0.0.1:${(tpp.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  if (!hasChromium) return;
  await browser.close();
  tpp.close();
  await bank.close();
});

test.skipIf(!hasChromium)('login with a wrong password first, then account selection, then back to the TPP redirect URI exactly as given', async () => {
  const redirectUri = `${tppUrl}/v1/callback?state=Zm9v-bar_123&lang=da`;
  const { consentId, scaRedirect } = await bank.client.createConsent(consentRequest(), { redirectUri, nokRedirectUri: `${tppUrl}/v1/callback?state=Zm9v-bar_123&error=1` }, { psuIpAddress: PSU_IP });
  const page = await browser.newPage({ viewport: { width: 800, height: 760 } });

  await page.goto(scaRedirect);
  await expect.poll(() => page.title()).toBe('Log in · Demo Bank');
  await page.screenshot({ path: `${SCREENSHOTS}/1-login.png`, fullPage: true });

  await page.getByLabel('Username').fill('embedded');
  await page.getByLabel('Password').fill('54321');
  await page.getByLabel('One-time code').fill('12345');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong');
  expect(await page.getByLabel('Username').inputValue()).toBe('embedded');
  await page.screenshot({ path: `${SCREENSHOTS}/2-login-error.png`, fullPage: true });

  await page.getByLabel('Password').fill('12345');
  await page.getByLabel('One-time code').fill('12345');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.title()).toBe('Choose accounts · Demo Bank');
  const boxes = page.getByRole('checkbox');
  expect(await boxes.count()).toBe(3);
  await page.getByLabel(/Lønkonto/).check();
  await page.getByLabel(/Sommarhus/).check();
  await page.screenshot({ path: `${SCREENSHOTS}/3-accounts.png`, fullPage: true });

  await page.getByRole('button', { name: 'Allow access' }).click();
  await page.waitForURL((url) => url.origin === tppUrl);
  expect(page.url()).toBe(redirectUri);
  expect(await page.textContent('body')).toBe('back at the TPP');

  expect(await bank.client.getConsentStatus(consentId)).toBe('valid');
  const accounts = await bank.client.listAccounts(consentId, { psuIpAddress: PSU_IP });
  expect(accounts.map((account) => account.name).sort()).toEqual(['Lønkonto', 'Sommarhus']);
  await page.close();
});
