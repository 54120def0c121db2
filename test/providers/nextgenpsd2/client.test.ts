/**
 * The client's own behaviour, against small servers that answer the way particular banks do
 * (links with a path prefix or on another host, odd bodies, mTLS), and against the Demo Bank for
 * cancellation.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NextGenPsd2Client } from '../../../providers/nextgenpsd2/client.js';
import {
  BadRequestError, NextGenPsd2Error, ProtocolError, RateLimitedError, TemporaryError,
} from '../../../providers/nextgenpsd2/errors.js';
import { freePort } from '../../helpers/processes.js';
import { PSU_IP, startTestBank, type TestBank } from '../../helpers/demobank.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A bank of a few canned answers, recording the requests it got. */
async function cannedBank(handler: Handler) {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
  });
  return { url, requests };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function client(baseUrl: string, options: Partial<ConstructorParameters<typeof NextGenPsd2Client>[0]> = {}) {
  const created = new NextGenPsd2Client({ baseUrl, ...options });
  closers.push(() => created.close());
  return created;
}

const page = (booked: number, next?: string) => ({
  account: { iban: 'DE02120300000000202051' },
  transactions: {
    booked: Array.from({ length: booked }, (_, i) => ({ transactionId: `t${i}`, transactionAmount: { currency: 'EUR', amount: '-1.00' } })),
    _links: { account: { href: '/v1/accounts/a1' }, ...(next && { next: { href: next } }) },
  },
});

describe('headers', () => {
  test('a fresh X-Request-ID on every call; Consent-ID on data calls; PSU-IP-Address only when given', async () => {
    const bank = await cannedBank((_request, response) => json(response, 200, { accounts: [] }));
    const api = client(bank.url);
    await api.listAccounts('c-1');
    await api.listAccounts('c-1', { psuIpAddress: PSU_IP });
    const [first, second] = bank.requests;
    expect(first!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first!.headers['x-request-id']).not.toBe(second!.headers['x-request-id']);
    expect(first!.headers['consent-id']).toBe('c-1');
    expect(first!.headers['psu-ip-address']).toBeUndefined();
    expect(second!.headers['psu-ip-address']).toBe(PSU_IP);
  });
});

describe('paging links', () => {
  test('absolute links on the bank\'s host and relative links, under a base URL with a path prefix', async () => {
    let origin = '';
    const bank = await cannedBank((request, response) => {
      const url = new URL(request.url!, origin);
      const pageNo = Number(url.searchParams.get('p') ?? 1);
      // Page 1 links absolutely, page 2 relative to the API root, page 3 relative to the host.
      const next = { 1: `${origin}/psd2/v1/accounts/a1/transactions?p=2`, 2: '/v1/accounts/a1/transactions?p=3', 3: '/psd2/v1/accounts/a1/transactions?p=4' }[pageNo];
      json(response, 200, page(2, next));
    });
    origin = bank.url;
    const pages = [];
    for await (const found of client(`${bank.url}/psd2/`).transactionPages('c-1', 'a1', { bookingStatus: 'booked', dateFrom: '2025-01-01' })) pages.push(found);
    expect(pages).toHaveLength(4);
    expect(bank.requests.map((request) => request.url)).toEqual([
      '/psd2/v1/accounts/a1/transactions?bookingStatus=booked&dateFrom=2025-01-01',
      '/psd2/v1/accounts/a1/transactions?p=2',
      '/psd2/v1/accounts/a1/transactions?p=3',
      '/psd2/v1/accounts/a1/transactions?p=4',
    ]);
  });

  test('a link to another host is refused: the Consent-ID stays with the bank', async () => {
    const bank = await cannedBank((_request, response) => json(response, 200, page(1, 'https://elsewhere.example/v1/accounts/a1/transactions?p=2')));
    const pages = client(bank.url).transactionPages('c-1', 'a1', { bookingStatus: 'booked', dateFrom: '2025-01-01' });
    await pages.next();
    const error = await pages.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'FOREIGN_LINK' });
    expect(bank.requests).toHaveLength(1);
  });
});

describe('errors', () => {
  test('messages name method, path, status and code, never the bank\'s text (it may hold IBANs, names, amounts)', async () => {
    const text = 'Account DE02120300000000202051 of Jürgen Groß: amount 1234.56 EUR exceeds the limit';
    const bank = await cannedBank((_request, response) => json(response, 400, { tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR', text }] }));
    const error = (await client(bank.url).getBalances('c-1', 'acc-9').catch((caught: unknown) => caught)) as NextGenPsd2Error;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('GET /v1/accounts/acc-9/balances: 400 FORMAT_ERROR');
    expect(error.bankText).toBe(text);
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(/DE02|Jürgen|1234/);
  });

  test('429 is a RateLimitedError with the Retry-After the bank sent; 5xx and 408 are temporary; a non-JSON error body still maps', async () => {
    const answers: [number, string, Record<string, string>][] = [
      [429, JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'ACCESS_EXCEEDED' }] }), { 'retry-after': '120' }],
      [502, '<html>Bad gateway</html>', {}],
      [408, '', {}],
      [404, 'not found', {}],
    ];
    const bank = await cannedBank((_request, response) => {
      const [status, body, headers] = answers.shift()!;
      response.writeHead(status, headers).end(body);
    });
    const api = client(bank.url);
    const limited = await api.listAccounts('c-1').catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ status: 429, code: 'ACCESS_EXCEEDED', retryAfterMs: 120_000 });
    await expect(api.listAccounts('c-1')).rejects.toMatchObject({ name: 'TemporaryError', status: 502, code: undefined });
    await expect(api.listAccounts('c-1')).rejects.toBeInstanceOf(TemporaryError);
    await expect(api.listAccounts('c-1')).rejects.toBeInstanceOf(BadRequestError);
  });

  test('a success body of the wrong shape is a ProtocolError', async () => {
    const bank = await cannedBank((_request, response) => json(response, 200, { accounts: [{ iban: 'DE02120300000000202051' }] }));
    await expect(client(bank.url).listAccounts('c-1')).rejects.toBeInstanceOf(ProtocolError);
  });

  test('nobody listening is a TemporaryError CONNECTION_FAILED', async () => {
    const error = await client(`http://127.0.0.1:${await freePort()}`).getConsentStatus('c-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporaryError);
    expect(error).toMatchObject({ status: 0, code: 'CONNECTION_FAILED', message: 'GET /v1/consents/c-1/status: CONNECTION_FAILED' });
  });
});

describe('cancellation', () => {
  let bank: TestBank;
  beforeAll(async () => {
    bank = await startTestBank();
  });
  afterAll(() => bank.close());

  test('the caller\'s AbortSignal cancels a call in flight with the signal\'s reason, not as a bank failure', async () => {
    const { consentId, accounts } = await bank.connect();
    await bank.faults.set({ faults: [{ kind: 'latency', ms: 5000, times: 1 }] });
    const controller = new AbortController();
    const call = bank.client.getBalances(consentId, accounts[0]!.resourceId, { signal: controller.signal, psuIpAddress: PSU_IP });
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    await expect(call).rejects.toThrow('activity cancelled');
    await expect(call).rejects.not.toBeInstanceOf(NextGenPsd2Error);
  });

  test('a per-call timeout overrides the client\'s', async () => {
    const { consentId, accounts } = await bank.connect();
    await bank.faults.set({ faults: [{ kind: 'latency', ms: 2000, times: 1 }] });
    await expect(bank.client.getBalances(consentId, accounts[0]!.resourceId, { timeoutMs: 100, psuIpAddress: PSU_IP })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('mTLS', () => {
  test('the client presents its certificate to a bank that demands one, and trusts the CA it is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bankfeed-mtls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const selfSigned = (name: string, subject: string) =>
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', subject);
    selfSigned('ca', '/CN=Test CA');
    selfSigned('rogue', '/CN=bankfeed TPP');
    for (const [name, subject, extension] of [['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'], ['tpp', '/CN=bankfeed TPP', 'extendedKeyUsage=clientAuth']] as const) {
      await writeFile(join(dir, `${name}.ext`), `${extension}\n`);
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    }
    const read = (file: string) => readFile(join(dir, file), 'utf8');
    const ca = await read('ca.pem');
    const server = createHttpsServer({ key: await read('server.key'), cert: await read('server.pem'), ca, requestCert: true, rejectUnauthorized: true }, (request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      json(response, 200, { consentStatus: peer.subject?.CN === 'bankfeed TPP' ? 'valid' : 'rejected' });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(async () => {
      server.closeAllConnections();
      server.close();
    });
    const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const withCertificate = client(baseUrl, { tls: { cert: await read('tpp.pem'), key: await read('tpp.key'), ca } });
    expect(await withCertificate.getConsentStatus('c-1')).toBe('valid');
    // A certificate the bank's CA did not sign gets no answer.
    const rogue = client(baseUrl, { tls: { cert: await read('rogue.pem'), key: await read('rogue.key'), ca } });
    await expect(rogue.getConsentStatus('c-1')).rejects.toMatchObject({ name: 'TemporaryError', code: 'CONNECTION_FAILED' });
  });
});
