import { isIP } from 'node:net';

/**
 * Which addresses the web tools may connect to. A page, a search result or a redirect can
 * point the agent at services on this computer or its network (a dev server, a router, a
 * cloud metadata endpoint holding credentials); those are refused unless the person named the
 * host. Every spelling is reduced to its bytes first, so `[::ffff:127.0.0.1]`, `0x7f.1`, a
 * NAT64 or 6to4 wrapping of a private IPv4 address are judged as what they reach.
 */

/** Why `address` (an IP literal) is not public, or undefined when it is. */
export function nonPublicReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return ipv4Reason(ipv4Bytes(address)!);
  if (family === 6) return ipv6Reason(address);
  return 'not an IP address';
}

/** Host names that are local by definition, before any lookup (`localhost.`, `*.localhost`, metadata names). */
export function localNameReason(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'this computer (localhost)';
  if (name.endsWith('.local') || name.endsWith('.internal') || name.endsWith('.home.arpa') || name === 'metadata') {
    return 'a local-network name';
  }
  return undefined;
}

function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

function ipv4Reason([a, b, c]: number[]): string | undefined {
  if (a === 127) return 'this computer (loopback)';
  if (a === 0) return 'this computer ("this network", 0.0.0.0/8)';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private network';
  if (a === 169 && b === 254) return 'a link-local address (cloud metadata lives at 169.254.169.254)';
  if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) network';
  if (a === 192 && b === 0 && c === 0) return 'an IETF protocol address';
  if (a === 198 && (b === 18 || b === 19)) return 'a benchmarking network';
  if (a >= 224) return 'a multicast or reserved address';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/^\[|\]$/g, '');
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4Bytes(tail[1]);
    if (!v4) return undefined;
    text = `${text.slice(0, tail.index)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? left.length !== 8 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function ipv6Reason(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return 'an unreadable IPv6 address';
  const embedded = (hi: number, lo: number) => ipv4Reason([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (g.every((x) => x === 0)) return 'this computer (the unspecified address ::)';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'this computer (loopback ::1)';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach the IPv4 address itself.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6], g[7]);
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address too.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6], g[7]);
  if (g[0] === 0x2002) return embedded(g[1], g[2]);
  if ((g[0] & 0xfe00) === 0xfc00) return 'a private network (unique local fc00::/7)';
  if ((g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0) return 'a link-local address';
  if ((g[0] & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}
