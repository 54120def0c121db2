/**
 * The whole link flow in a real browser (playwright-core + Debian's chromium): a tiny ledger
 * page creates a connection through the API, the user logs in and picks accounts at the Demo
 * Bank, lands back on the ledger page, and the transactions are there (read through the feed).
 * Then the same path renews the consent. Screenshots go to test-results/screenshots/ (git-ignored).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLedgerApp } from '../fixtures/ledger-app.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/screenshots';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED: the browser test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);

let stack: LifecycleStack;
let ledger: Awaited<ReturnType<typeof startLedgerApp>>;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  stack = await startLifecycleStack({ scale: 1 });
  ledger = await startLedgerApp({ apiUrl: stack.apiUrl, apiKey: stack.apiKey });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ledger?.close();
  await stack?.close();
});

/** A list from the API, as the stack's tenant. */
async function get<T>(path: string): Promise<T> {
  return ((await (await fetch(`${stack.apiUrl}${path}`, { headers: stack.headers })).json()) as { data: T }).data;
}

/** At the Demo Bank: log in as the test user and share the accounts picked by name. */
async function authoriseAtBank(page: Page, shot: string, accounts: RegExp[]) {
  await expect.poll(() => page.title()).toBe('Log in · Demo Bank');
  await page.getByLabel('Username').fill('embedded');
  await page.getByLabel('Password').fill('12345');
  await page.getByLabel('One-time code').fill('12345');
  await page.screenshot({ path: `${SCREENSHOTS}/${shot}-bank-login.png`, fullPage: true });
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.title()).toBe('Choose accounts · Demo Bank');
  for (const account of accounts) await page.getByLabel(account).check();
  await page.screenshot({ path: `${SCREENSHOTS}/${shot}-bank-accounts.png`, fullPage: true });
  await page.getByRole('button', { name: 'Allow access' }).click();
}

test.skipIf(!hasChromium)('connect a bank from the ledger page, see its transactions, then renew the consent the same way', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(ledger.url);
  await page.screenshot({ path: `${SCREENSHOTS}/ledger-1-start.png`, fullPage: true });
  await page.getByRole('button', { name: 'Connect a bank' }).click();

  await authoriseAtBank(page, 'ledger-2', [/Lønkonto/, /Euro account/]);
  await page.waitForURL((url) => url.origin === ledger.url && url.pathname === '/done', { timeout: 60_000 });
  await expect.poll(() => page.title()).toBe('Bank connected · Tiny Ledger');
  expect(await page.getByRole('status').textContent()).toContain('Connected: 2 accounts, consent valid for 90 days');
  const count = Number(await page.getByTestId('count').textContent());
  const [connection] = (await get<{ id: string }[]>('/v1/connections'));
  const stored = await get<unknown[]>(`/v1/accounts?connection_id=${connection!.id}`);
  expect(stored).toHaveLength(2);
  expect(count).toBeGreaterThan(0);
  expect(await page.locator('tbody tr').count()).toBe(12);
  await page.screenshot({ path: `${SCREENSHOTS}/ledger-3-connected.png`, fullPage: true });

  // Renewal through the same path: a new consent at the bank, the same accounts and data.
  await page.getByRole('button', { name: 'Renew consent' }).click();
  await authoriseAtBank(page, 'ledger-4', [/Lønkonto/, /Euro account/]);
  await page.waitForURL((url) => url.origin === ledger.url && url.pathname === '/done', { timeout: 60_000 });
  await expect.poll(() => page.title()).toBe('Bank connected · Tiny Ledger');
  expect(Number(await page.getByTestId('count').textContent())).toBeGreaterThanOrEqual(count);
  await page.screenshot({ path: `${SCREENSHOTS}/ledger-5-renewed.png`, fullPage: true });
  const consents = await get<{ purpose: string; status: string }[]>(`/v1/connections/${connection!.id}/consents`);
  expect(consents.map((c) => [c.purpose, c.status])).toEqual([['renewal', 'active'], ['link', 'closed']]);
  await page.close();
}, 180_000);
