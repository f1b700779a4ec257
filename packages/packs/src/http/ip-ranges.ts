/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** An address range in CIDR notation. */
export interface Cidr {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
  /** The text it was parsed from, for messages. */
  text: string;
}

/** A range the SSRF guard refuses by default, with the reason shown to the model. */
interface BlockedRange {
  cidr: Cidr;
  label: string;
}

/** Parses a canonical dotted-quad IPv4 address (`127.0.0.1`); anything else is undefined. */
function parseIpv4(text: string): ParsedIp | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (part.length === 0 || part.length > 3 || !isDigits(part)) return undefined;
    if (part.length > 1 && part[0] === '0') return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return { version: 4, bytes };
}

/** Parses an IPv6 address, with or without brackets, `::` compression, an IPv4 tail or a zone id. */
function parseIpv6(text: string): ParsedIp | undefined {
  let rest = text;
  if (rest.startsWith('[') && rest.endsWith(']')) rest = rest.slice(1, -1);
  const zone = rest.indexOf('%');
  if (zone !== -1) rest = rest.slice(0, zone);
  if (!rest.includes(':')) return undefined;

  const groups: number[] = [];
  let v4Tail: ParsedIp | undefined;
  const lastColon = rest.lastIndexOf(':');
  const tail = rest.slice(lastColon + 1);
  if (tail.includes('.')) {
    v4Tail = parseIpv4(tail);
    if (!v4Tail) return undefined;
    rest = `${rest.slice(0, lastColon + 1)}0:0`;
  }

  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const back = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !back) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + back.length > 7) return undefined;
  groups.push(...head);
  if (halves.length === 2) for (let i = head.length + back.length; i < 8; i++) groups.push(0);
  groups.push(...back);

  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[i * 2] = groups[i]! >> 8;
    bytes[i * 2 + 1] = groups[i]! & 0xff;
  }
  if (v4Tail) bytes.set(v4Tail.bytes, 12);
  return { version: 6, bytes };
}

/** Parses an IPv4 or IPv6 address; undefined when the text is not an IP address (a host name). */
export function parseIp(text: string): ParsedIp | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** Parses `10.0.0.0/8`, `fd00::/8`, or a bare address (a single-address range). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const bits = text.slice(slash + 1);
    if (bits.length === 0 || bits.length > 3 || !isDigits(bits)) return undefined;
    prefix = Number(bits);
    if (prefix > max) return undefined;
  }
  return { version: ip.version, bytes: ip.bytes, prefix, text };
}

/** Whether `ip` lies in `cidr` (same IP version only). */
export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.version !== ip.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((cidr.bytes[i]! & mask) !== (ip.bytes[i]! & mask)) return false;
  }
  return true;
}

/**
 * The IPv4 address an IPv6 address carries, when it is one of the forms that reach an IPv4 host:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) or
 * 6to4 (`2002:aabb:ccdd::`).
 */
export function embeddedIpv4(ip: ParsedIp): ParsedIp | undefined {
  if (ip.version !== 6) return undefined;
  const b = ip.bytes;
  if (b[0] === 0x20 && b[1] === 0x02) return { version: 4, bytes: b.slice(2, 6) };
  for (const prefix of EMBEDDING_PREFIXES) {
    if (cidrContains(prefix, ip)) return { version: 4, bytes: b.slice(12, 16) };
  }
  return undefined;
}

/** Formats an address canonically (`127.0.0.1`, `::1`), for messages and for connecting. */
export function formatIp(ip: ParsedIp): string {
  if (ip.version === 4) return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const range = (text: string, label: string): BlockedRange => ({ cidr: parseCidr(text)!, label });

/** IPv4 ranges refused by default (IANA special-purpose registry, minus globally reachable ones). */
const BLOCKED_IPV4: readonly BlockedRange[] = [
  range('0.0.0.0/8', 'unspecified ("this network") address'),
  range('10.0.0.0/8', 'private address (10.0.0.0/8)'),
  range('100.64.0.0/10', 'carrier-grade NAT address (100.64.0.0/10)'),
  range('127.0.0.0/8', 'loopback address'),
  range('169.254.169.254/32', 'cloud metadata address'),
  range('169.254.0.0/16', 'link-local address (169.254.0.0/16)'),
  range('172.16.0.0/12', 'private address (172.16.0.0/12)'),
  range('192.0.0.0/24', 'IETF protocol assignment address'),
  range('192.0.2.0/24', 'documentation address (TEST-NET-1)'),
  range('192.88.99.0/24', 'deprecated 6to4 relay address'),
  range('168.63.129.16/32', "cloud host address (Azure's WireServer, 168.63.129.16)"),
  range('192.168.0.0/16', 'private address (192.168.0.0/16)'),
  range('198.18.0.0/15', 'benchmarking address'),
  range('198.51.100.0/24', 'documentation address (TEST-NET-2)'),
  range('203.0.113.0/24', 'documentation address (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast address'),
  range('240.0.0.0/4', 'reserved address'),
];

/**
 * IPv6 ranges refused by default, with their own labels. Forms that embed an IPv4 address are
 * checked by that address; anything else outside global unicast (`2000::/3`) is refused as reserved.
 */
const BLOCKED_IPV6: readonly BlockedRange[] = [
  range('::/128', 'unspecified address (::)'),
  range('::1/128', 'loopback address (::1)'),
  range('::/96', 'deprecated IPv4-compatible address'),
  range('64:ff9b:1::/48', 'local-use NAT64 address'),
  range('100::/64', 'discard-only address'),
  range('2001:db8::/32', 'documentation address'),
  range('3fff::/20', 'documentation address (3fff::/20)'),
  range('2001::/23', 'IETF protocol assignment address (incl. Teredo)'),
  range('fd00:ec2::254/128', 'cloud metadata address'),
  range('fc00::/7', 'unique-local address (fc00::/7)'),
  range('fe80::/10', 'link-local address (fe80::/10)'),
  range('fec0::/10', 'deprecated site-local address'),
  range('ff00::/8', 'multicast address'),
];

/** Global unicast (`2000::/3`): the only IPv6 space routed on the internet today. */
const GLOBAL_UNICAST = parseCidr('2000::/3')!;

const EMBEDDING_PREFIXES: readonly Cidr[] = [
  parseCidr('::ffff:0:0/96')!,
  parseCidr('64:ff9b::/96')!,
  parseCidr('::/96')!,
];

/**
 * Why `ip` is refused by default, or undefined for a public address. An IPv6 form that carries
 * an IPv4 address (`::ffff:127.0.0.1`) is judged by that IPv4 address.
 */
export function blockedReason(ip: ParsedIp): string | undefined {
  if (ip.version === 4) return BLOCKED_IPV4.find((range) => cidrContains(range.cidr, ip))?.label;
  const embedded = embeddedIpv4(ip);
  const isCompatible = cidrContains(EMBEDDING_PREFIXES[2]!, ip);
  if (embedded && !isCompatible) {
    const inner = blockedReason(embedded);
    return inner === undefined ? undefined : `${inner} inside an IPv6 address`;
  }
  const listed = BLOCKED_IPV6.find((range) => cidrContains(range.cidr, ip))?.label;
  if (listed !== undefined) return listed;
  // Everything outside 2000::/3 is reserved or special-purpose (e.g. IPv4-translated
  // ::ffff:0:a.b.c.d); none of it is a public internet host.
  return cidrContains(GLOBAL_UNICAST, ip) ? undefined : 'reserved address (outside 2000::/3)';
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  for (const part of text.split(':')) {
    if (part.length === 0 || part.length > 4 || !/^[0-9a-fA-F]+$/.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
