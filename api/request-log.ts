import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * A client's address as logs keep it: the network, not the person (IPv4 /24, IPv6 /48). Enough
 * to see where traffic comes from; a full address is personal data the logs must not hold.
 */
export function maskIp(address: string | undefined): string | undefined {
  if (!address) return address;
  const mapped = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(mapped)) return `${mapped.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(mapped)) {
    const [head = ''] = mapped.split('::');
    return `${head.split(':').slice(0, 3).join(':')}::/48`;
  }
  return 'unknown';
}

/** The request line Fastify logs, with the client's address masked (replaces its default `req` serializer). */
export function requestLogView(request: FastifyRequest) {
  return { method: request.method, url: request.url, host: request.host, remoteAddress: maskIp(request.ip) };
}
