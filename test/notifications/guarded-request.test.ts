/**
 * The guarded client for tenants' URLs. Traffic goes to loopback receivers only: every other
 * address comes from a resolver the test gives, and every socket's connect is watched (and kept
 * from leaving loopback, even if the guard failed), so a refusal is shown to happen before any
 * connection is attempted.
 */
import { execFile } from 'node:child_process';
import { lookup as systemLookup } from 'node:dns';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket, type AddressInfo, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { addressRefusal } from '../../notifications/address-ranges.js';
import { guardedRequest, OutboundRefused, OutboundTimeout, type GuardedRequest, type Resolver } from '../../notifications/guarded-request.js';

const PUBLIC = '93.184.215.14';
const run = promisify(execFile);

/** What sockets were asked to connect to (after their lookup), and the sockets themselves. */
let connects: { addresses: string[]; socket: Socket }[];
/** 'pass': loopback connects go ahead; 'hang': no connect ever completes; 'land-on-loopback': a socket's lookup lands on 127.0.0.1 whatever it was told. */
let connectMode: 'pass' | 'hang' | 'land-on-loopback';
const isLoopback = (address: string) => /^(127\.|::1$|::ffff:127\.)/.test(address);
const blocked = () => Object.assign(new Error('the test lets no traffic leave loopback'), { code: 'ETESTBLOCKED' });

beforeEach(() => {
  connects = [];
  connectMode = 'pass';
  const connect = Socket.prototype.connect;
  vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; lookup?: LookupFunction };
    const seen = { addresses: [] as string[], socket: this };
    connects.push(seen);
    if (connectMode === 'hang') return this;
    const host = (options.host ?? '').replace(/^\[(.*)\]$/, '$1');
    if (/^[\d.]+$|:/.test(host)) {
      seen.addresses.push(host);
      if (!isLoopback(host)) {
        process.nextTick(() => this.destroy(blocked()));
        return this;
      }
    }
    const inner = options.lookup ?? (systemLookup as unknown as LookupFunction);
    options.lookup = ((hostname: string, lookupOptions: { all?: boolean }, callback: (...results: unknown[]) => void) =>
      inner(hostname, lookupOptions as never, ((error: Error | null, address: string | { address: string; family: number }[], family?: number) => {
        const list = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
        seen.addresses.push(...list.map((a) => a.address));
        if (connectMode === 'land-on-loopback') return callback(null, ...(lookupOptions.all ? [[{ address: '127.0.0.1', family: 4 }]] : ['127.0.0.1', 4]));
        if (error || list.some((a) => !isLoopback(a.address))) return callback(error ?? blocked());
        callback(null, address, family);
      }) as never)) as unknown as LookupFunction;
    return connect.apply(this, args as Parameters<typeof connect>);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A loopback HTTP server that counts what reaches it and answers with `handle`. */
async function receiver(handle: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.writeHead(204).end()) {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).finally(() => server.closeAllConnections()),
  };
}

const resolverOf = (...addresses: string[]) => {
  const resolver = vi.fn<Resolver>(async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  return resolver;
};

const post = (url: string, options: Partial<GuardedRequest> = {}) => guardedRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', allowInsecure: false, ...options });

const ADDRESS_CLASSES: [string, string][] = [
  ['127.0.0.1', 'a loopback address'],
  ['127.8.9.10', 'a loopback address'],
  ['10.0.0.5', 'a private address'],
  ['172.16.0.1', 'a private address'],
  ['172.31.255.254', 'a private address'],
  ['192.168.1.1', 'a private address'],
  ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
  ['169.254.169.254', 'the cloud metadata address'],
  ['169.254.1.1', 'a link-local address'],
  ['0.0.0.0', 'a "this network" address'],
  ['224.0.0.1', 'a multicast address'],
  ['240.0.0.1', 'a reserved address'],
  ['255.255.255.255', 'the broadcast address'],
  ['192.0.2.10', 'a documentation address'],
  ['198.51.100.10', 'a documentation address'],
  ['203.0.113.10', 'a documentation address'],
  ['::', 'the unspecified address'],
  ['::1', 'a loopback address'],
  ['fd00:ec2::254', 'the cloud metadata address'],
  ['fd12:3456::1', 'a unique-local address'],
  ['fc00::1', 'a unique-local address'],
  ['fe80::1', 'a link-local address'],
  ['fec0::1', 'a site-local address'],
  ['ff02::1', 'a multicast address'],
  ['64:ff9b::a00:5', 'a NAT64 address'],
  ['2002:a00:5::1', 'a 6to4 address'],
  ['2001:db8::1', 'a documentation address'],
  ['::ffff:10.0.0.5', 'a private address'],
  ['::ffff:a9fe:a9fe', 'the cloud metadata address'],
  ['::ffff:127.0.0.1', 'a loopback address'],
];

test.each(ADDRESS_CLASSES)('%s is refused (%s) as an IP literal and as what a name resolves to, without a connection', async (address, what) => {
  const literal = address.includes(':') ? `[${address}]` : address;
  // The URL parser may respell the literal (::ffff:10.0.0.5 is ::ffff:a00:5 in a URL).
  await expect(post(`https://${literal}:8443/hooks?token=secret`)).rejects.toThrow(`is ${what}`);
  const resolve = resolverOf(PUBLIC, address);
  await expect(post('https://hooks.ledger.example/hooks?token=secret', { resolve })).rejects.toThrow(new OutboundRefused(`hooks.ledger.example: ${address} is ${what}`));
  expect(resolve).toHaveBeenCalledWith('hooks.ledger.example');
  expect(connects).toEqual([]);
});

test('public unicast addresses pass the address check, IPv4-mapped ones as their IPv4 address', () => {
  for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2001:4860::8888'])
    expect(addressRefusal(address, { allowLoopback: false }), address).toBeUndefined();
  expect(addressRefusal('not-an-address', { allowLoopback: true })).toBe('not-an-address is not an IP address');
});

test('URL spellings of loopback (decimal, hex, short IPv4, localhost) are the loopback they mean', async () => {
  for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://127.1/', 'https://localhost/', 'https://api.localhost:8443/']) {
    await expect(post(url), url).rejects.toThrow(OutboundRefused);
  }
  expect(connects).toEqual([]);
});

test('a host name that resolves to loopback is refused unless insecure webhooks are allowed; private stays refused then', async () => {
  const target = await receiver();
  try {
    const resolve = resolverOf('127.0.0.1');
    await expect(post(`https://hooks.ledger.example:${target.port}/`, { resolve })).rejects.toThrow('hooks.ledger.example: 127.0.0.1 is a loopback address');
    expect(connects).toEqual([]);
    // Development: loopback over plain http.
    expect(await post(`http://localhost:${target.port}/`, { resolve, allowInsecure: true })).toMatchObject({ status: 204 });
    expect(target.requests()).toBe(1);
    expect(connects.map((c) => c.addresses)).toEqual([['127.0.0.1']]);
    for (const address of ['10.0.0.5', '169.254.169.254', 'fd00:ec2::254', PUBLIC]) {
      await expect(post('http://localhost/', { resolve: resolverOf(address), allowInsecure: true }), address).rejects.toThrow(`localhost: ${address} is `);
    }
    await expect(post('http://hooks.ledger.example/', { resolve, allowInsecure: true })).rejects.toThrow('plain http reaches loopback hosts only, and hooks.ledger.example is not one');
    await expect(post('http://localhost/', { resolve })).rejects.toThrow('plain http is refused: https only');
    expect(connects).toHaveLength(1);
  } finally {
    await target.close();
  }
});

test('DNS rebinding has nothing to act on: the socket connects to the address checked, never asking again', async () => {
  const target = await receiver();
  try {
    // A public address for the check, loopback (where the receiver listens) for any later question.
    let asked = 0;
    const rebinding: Resolver = async () => [{ address: asked++ === 0 ? PUBLIC : '127.0.0.1', family: 4 }];
    await expect(post(`https://hooks.ledger.example:${target.port}/`, { resolve: rebinding })).rejects.toMatchObject({ code: 'ETESTBLOCKED' });
    expect(asked).toBe(1);
    expect(connects.map((c) => c.addresses)).toEqual([[PUBLIC]]);
    expect(target.requests()).toBe(0);

    // In development loopback is allowed: the checked loopback address is used even when the resolver turns private.
    asked = 0;
    const turning: Resolver = async () => [{ address: asked++ === 0 ? '127.0.0.1' : '10.0.0.5', family: 4 }];
    connects = [];
    expect(await post(`http://localhost:${target.port}/`, { resolve: turning, allowInsecure: true })).toMatchObject({ status: 204 });
    expect(asked).toBe(1);
    expect(connects.map((c) => c.addresses)).toEqual([['127.0.0.1']]);
  } finally {
    await target.close();
  }
});

test('a socket that lands elsewhere than the address checked is closed before the request is written', async () => {
  const target = await receiver();
  try {
    connectMode = 'land-on-loopback';
    await expect(post(`https://hooks.ledger.example:${target.port}/`, { resolve: resolverOf(PUBLIC), connectTimeoutMs: 30_000 })).rejects.toThrow(
      new OutboundRefused('connected to 127.0.0.1, not to the address checked'),
    );
    expect(connects.map((c) => c.addresses)).toEqual([[PUBLIC]]);
    expect(target.requests()).toBe(0);
    expect(connects[0]!.socket.destroyed).toBe(true);
  } finally {
    await target.close();
  }
});

test('a redirect is not followed: its status is the answer', async () => {
  const elsewhere = await receiver();
  const redirecting = await receiver((_, response) => response.writeHead(302, { location: `${elsewhere.url}/internal` }).end());
  try {
    expect(await post(`${redirecting.url}/hooks`, { allowInsecure: true })).toMatchObject({ status: 302 });
    expect(redirecting.requests()).toBe(1);
    expect(elsewhere.requests()).toBe(0);
  } finally {
    await redirecting.close();
    await elsewhere.close();
  }
});

test('a 10 MB answer is read to 64 KiB, then the connection is closed', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let finished = false;
  const flooding = await receiver((_, response) => {
    response.writeHead(200, { 'content-length': String(160 * chunk.length) });
    let sent = 0;
    const more = () => {
      while (sent < 160 && !response.destroyed) {
        sent++;
        if (!response.write(chunk)) return void response.once('drain', more);
      }
      if (sent === 160) response.end(() => (finished = true));
    };
    more();
  });
  try {
    const answer = await post(flooding.url, { allowInsecure: true });
    expect(answer).toMatchObject({ status: 200, truncated: true });
    expect(answer.body.length).toBe(64 * 1024);
    const socket = connects[0]!.socket;
    expect(socket.destroyed).toBe(true);
    // What left the kernel for bankfeed: a few reads' worth, not the 10 MB.
    expect(socket.bytesRead).toBeLessThan(1024 * 1024);
    expect(finished).toBe(false);
  } finally {
    await flooding.close();
  }
});

test('a small answer is read whole', async () => {
  const small = await receiver((_, response) => response.writeHead(200).end('ok'));
  try {
    expect(await post(small.url, { allowInsecure: true })).toEqual({ status: 200, body: Buffer.from('ok'), truncated: false });
  } finally {
    await small.close();
  }
});

test('timeouts: a connection that never stands, an answer that never comes, a resolver that never answers', async () => {
  const silent = await receiver(() => undefined);
  try {
    connectMode = 'hang';
    await expect(post(silent.url, { allowInsecure: true, connectTimeoutMs: 100 })).rejects.toThrow(new OutboundTimeout('connect timed out'));
    expect(connects[0]!.socket.destroyed).toBe(true);
    connectMode = 'pass';
    await expect(post(silent.url, { allowInsecure: true, timeoutMs: 200 })).rejects.toThrow(new OutboundTimeout('timed out'));
    expect(silent.requests()).toBe(1);
    expect(connects[1]!.socket.destroyed).toBe(true);
    await expect(post('https://hooks.ledger.example/', { resolve: () => new Promise(() => undefined), timeoutMs: 200 })).rejects.toThrow(new OutboundTimeout('timed out'));
    expect(connects).toHaveLength(2);
  } finally {
    await silent.close();
  }
});

test('https: the certificate is checked against the URL host while the socket goes to the checked address', async () => {
  const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(fixtures, 'guarded-https.ts')], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(fixtures, 'tls/hooks-cert.pem') },
  });
  expect(JSON.parse(stdout)).toEqual({
    development: { status: 201, body: 'created' },
    otherName: { error: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    production: { error: 'hooks.ledger.example: 127.0.0.1 is a loopback address' },
    received: 1,
  });
});
