import { addressBytes, addressRefusal, isLoopbackAddress } from './address-ranges.js';

/** Development only (ALLOW_INSECURE_WEBHOOKS=1): plain http and loopback hosts, for a receiver on the same machine. */
export interface OutboundPolicy {
  allowInsecure: boolean;
}

/** localhost and *.localhost always resolve to loopback (RFC 6761): refused as such without asking DNS. */
const isLoopbackName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * What can be told of a URL bankfeed is to send requests to on a tenant's behalf before anything is
 * resolved: its scheme, and its host when that is an IP address or a loopback name. Undefined: it
 * may be tried (a host name is judged by what it resolves to, when the request is made).
 */
export function outboundUrlRefusal(url: URL, policy: OutboundPolicy): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${url.protocol} URLs are not supported: https only`;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = isLoopbackName(host) || isLoopbackAddress(host);
  if (url.protocol === 'http:') {
    if (!policy.allowInsecure) return 'plain http is refused: https only';
    if (!loopback) return `plain http reaches loopback hosts only, and ${host} is not one`;
  }
  if (isLoopbackName(host) && !policy.allowInsecure) return `${host} is a loopback host`;
  return addressBytes(host) ? addressRefusal(host, { allowLoopback: policy.allowInsecure }) : undefined;
}
