import { isIP } from 'node:net';

/**
 * Which IP addresses a request to a URL a tenant gave may reach: public unicast only. Everything
 * that lands inside a network (loopback, private, link-local with the cloud metadata services,
 * unique-local) or nowhere sensible (multicast, reserved, documentation) is refused, in IPv4 and
 * IPv6 alike; an IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */

type Range = { bytes: number[]; bits: number; what: string };

function range(cidr: string, what: string): Range {
  const [address, bits] = cidr.split('/') as [string, string];
  return { bytes: addressBytes(address)!, bits: Number(bits), what };
}

const LOOPBACK = [range('127.0.0.0/8', 'a loopback address'), range('::1/128', 'a loopback address')];

// Most specific first: the first range that holds an address names it.
const REFUSED = [
  ...LOOPBACK,
  range('169.254.169.254/32', 'the cloud metadata address'),
  range('fd00:ec2::254/128', 'the cloud metadata address'),
  range('0.0.0.0/8', 'a "this network" address'),
  range('10.0.0.0/8', 'a private address'),
  range('100.64.0.0/10', 'a shared (carrier-grade NAT) address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.0.0.0/24', 'an IETF protocol address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('192.88.99.0/24', 'a 6to4 relay address'),
  range('192.168.0.0/16', 'a private address'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('255.255.255.255/32', 'the broadcast address'),
  range('240.0.0.0/4', 'a reserved address'),
  range('::/128', 'the unspecified address'),
  range('::/96', 'an IPv4-compatible (deprecated) address'),
  range('::ffff:0:0:0/96', 'an IPv4-translated address'),
  range('64:ff9b::/96', 'a NAT64 address'),
  range('64:ff9b:1::/48', 'a NAT64 address'),
  range('100::/64', 'a discard address'),
  range('2001::/32', 'a Teredo address'),
  range('2001:db8::/32', 'a documentation address'),
  range('3fff::/20', 'a documentation address'),
  range('2002::/16', 'a 6to4 address'),
  range('fc00::/7', 'a unique-local address'),
  range('fe80::/10', 'a link-local address'),
  range('fec0::/10', 'a site-local address'),
  range('ff00::/8', 'a multicast address'),
];

export interface AddressPolicy {
  /** Loopback addresses too (ALLOW_INSECURE_WEBHOOKS, for development): never private or link-local ones. */
  allowLoopback: boolean;
}

/** Why `address` may not be reached ("10.0.0.5 is a private address"); undefined: it may. Not an IP address: refused. */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  const bytes = addressBytes(address);
  if (!bytes) return `${address} is not an IP address`;
  if (policy.allowLoopback && LOOPBACK.some((r) => holds(r, bytes))) return undefined;
  const refused = REFUSED.find((r) => holds(r, bytes));
  return refused ? `${address} is ${refused.what}` : undefined;
}

export function isLoopbackAddress(address: string): boolean {
  const bytes = addressBytes(address);
  return bytes !== undefined && LOOPBACK.some((r) => holds(r, bytes));
}

function holds({ bytes: prefix, bits }: Range, bytes: number[]): boolean {
  if (prefix.length !== bytes.length) return false;
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if ((prefix[i]! & mask) !== (bytes[i]! & mask)) return false;
  }
  return true;
}

/** 4 bytes for IPv4, 16 for IPv6 (an IPv4-mapped one as its 4 IPv4 bytes); undefined when not an IP address. */
export function addressBytes(text: string): number[] | undefined {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return address.split('.').map(Number);
  if (version !== 6) return undefined;
  const bytes = ipv6Bytes(address);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function ipv6Bytes(address: string): number[] {
  // A dotted IPv4 tail ("::ffff:10.0.0.5") is the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? address.slice(0, dotted.index) + [[1, 2], [3, 4]].map(([a, b]) => ((Number(dotted[a!]) << 8) | Number(dotted[b!])).toString(16)).join(':')
    : address;
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}
