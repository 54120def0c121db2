import { lookup } from 'node:dns/promises';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { addressBytes, addressRefusal, isLoopbackAddress } from './address-ranges.js';
import { outboundUrlRefusal, type OutboundPolicy } from './outbound-url.js';

/**
 * One HTTP request to a URL a tenant gave (a webhook endpoint), made so that it cannot reach inside
 * bankfeed's network: the host is resolved once, every address it resolves to is checked, and the
 * connection goes to those checked addresses and nowhere else (the socket's lookup answers them, so
 * a DNS answer that changes between check and connect, DNS rebinding, has nothing to act on). The
 * address the socket did connect to is checked again before a byte of the request is written. No
 * redirect is followed, at most `maxBodyBytes` of the answer are read, and connect and total
 * timeouts bound the whole.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** A host name's addresses; tests give their own, production asks the system resolver. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedRequest extends OutboundPolicy {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** From the start until the connection to the checked address stands. */
  connectTimeoutMs?: number;
  /** From the start (resolution included) until the answer has been read. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  resolve?: Resolver;
}

export interface GuardedResponse {
  status: number;
  /** At most maxBodyBytes of the answer's body. */
  body: Buffer;
  /** The answer had more than maxBodyBytes: the rest was not read (the connection was closed). */
  truncated: boolean;
}

/** The target may not be reached; the message says why, naming the host or address and nothing more of the URL. */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
}

/** No connection within the connect timeout, or no whole answer within the total one. */
export class OutboundTimeout extends Error {
  override name = 'OutboundTimeout';
}

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Why a connection to `address` is refused for a URL of `protocol`; undefined: allowed. */
function connectRefusal(address: string, protocol: string, policy: OutboundPolicy): string | undefined {
  const refused = addressRefusal(address, { allowLoopback: policy.allowInsecure });
  if (refused) return refused;
  if (protocol === 'http:' && !isLoopbackAddress(address)) return `${address} is not a loopback address (plain http reaches loopback only)`;
  return undefined;
}

const sameAddress = (a: string, b: string) => addressBytes(a)?.join('.') === addressBytes(b)?.join('.');

/** Sends one request; resolves with the answer (any status, 3xx included: redirects are not followed), rejects with OutboundRefused, OutboundTimeout or the network's error. */
export async function guardedRequest(target: string, options: GuardedRequest): Promise<GuardedResponse> {
  const { connectTimeoutMs = 5_000, timeoutMs = 10_000, maxBodyBytes = 64 * 1024, resolve = systemResolver } = options;
  if (!URL.canParse(target)) throw new OutboundRefused('not a URL');
  const url = new URL(target);
  const refusal = outboundUrlRefusal(url, options);
  if (refusal) throw new OutboundRefused(refusal);

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new OutboundTimeout('timed out')), timeoutMs);
  const deadline = new Promise<never>((_, reject) => timeout.signal.addEventListener('abort', () => reject(timeout.signal.reason as Error)));
  deadline.catch(() => undefined);
  try {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await Promise.race([resolve(host), deadline]);
    if (addresses.length === 0) throw new OutboundRefused(`${host} has no address`);
    for (const { address } of addresses) {
      const refused = connectRefusal(address, url.protocol, options);
      if (refused) throw new OutboundRefused(isIP(host) ? refused : `${host}: ${refused}`);
    }
    return await send(url, addresses, { ...options, connectTimeoutMs, maxBodyBytes }, timeout.signal);
  } finally {
    clearTimeout(timer);
  }
}

type SendOptions = GuardedRequest & Required<Pick<GuardedRequest, 'connectTimeoutMs' | 'maxBodyBytes'>>;

function send(url: URL, addresses: ResolvedAddress[], options: SendOptions, deadline: AbortSignal): Promise<GuardedResponse> {
  const { connectTimeoutMs, maxBodyBytes } = options;
  return new Promise((resolve, reject) => {
    // The socket's DNS: the addresses checked above, never a second question to a resolver.
    const pinned = ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      process.nextTick(() => (lookupOptions.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)));
    }) as unknown as LookupFunction;
    const request: ClientRequest = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: options.method,
      headers: { ...options.headers, connection: 'close', ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }) },
      // A socket of its own: a pooled one would have been checked for another request.
      agent: false,
      lookup: pinned,
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      outcome();
      request.destroy();
    };
    const fail = (error: Error) => settle(() => reject(error));
    const connectTimer = setTimeout(() => fail(new OutboundTimeout('connect timed out')), connectTimeoutMs);
    if (deadline.aborted) fail(deadline.reason as Error);
    else deadline.addEventListener('abort', () => fail(deadline.reason as Error), { once: true });
    // The close that follows a settled request is expected; errors before it fail the request.
    request.on('error', fail);

    request.once('socket', (socket: Socket) => {
      const connected = () => {
        const remote = socket.remoteAddress ?? 'an unknown address';
        const refused = addresses.some(({ address }) => sameAddress(address, remote))
          ? connectRefusal(remote, url.protocol, options)
          : `connected to ${remote}, not to the address checked`;
        if (refused) return fail(new OutboundRefused(refused));
        clearTimeout(connectTimer);
        // Only now does the request leave: nothing was written to an address not checked.
        request.end(options.body);
      };
      // A socket already destroyed (its lookup failed) reports through the request's error.
      if (socket.destroyed) return;
      if (socket.connecting || !socket.remoteAddress) socket.once('connect', connected);
      else connected();
    });

    request.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (truncated: boolean) => settle(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), truncated }));
      response.on('data', (chunk: Buffer) => {
        const room = maxBodyBytes - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(room, chunk.length);
        if (chunk.length > room) answer(true);
      });
      response.once('end', () => answer(false));
      response.once('error', fail);
    });
  });
}
