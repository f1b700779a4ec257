import { lookup } from 'node:dns/promises';
import { PackConfigError, PackInputError, PackRemoteError } from '../errors.js';
import {
  blockedReason,
  type Cidr,
  cidrContains,
  embeddedIpv4,
  formatIp,
  type ParsedIp,
  parseCidr,
  parseIp,
} from './ip-ranges.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Turns a host name into its addresses. The default uses the system resolver
 * (`dns.promises.lookup` with `all: true`). Tests inject a fake one.
 */
export type Resolver = (
  hostname: string,
  options: { signal: AbortSignal },
) => Promise<readonly ResolvedAddress[]>;

/** Which destinations the guard lets through besides the public internet. */
export interface SsrfPolicy {
  /**
   * Host names (or IP literals) that may be reached even when they are private, loopback or a
   * metadata name: `'intranet.example'`, `'*.corp.example'` (subdomains only), `'127.0.0.1'`,
   * `'[::1]'`. Add `:port` to allow only that port (`'localhost:8080'`).
   */
  allowHosts?: readonly string[] | undefined;
  /** Address ranges (CIDR, or single addresses) that may be reached: `['10.1.0.0/16', '::1']`. */
  allowAddresses?: readonly string[] | undefined;
  /** Turns every address check off. Dangerous: the model can then reach your network. Default false. */
  allowPrivate?: boolean | undefined;
  /** When set, only these hosts (same patterns as `allowHosts`) may be fetched at all. */
  onlyHosts?: readonly string[] | undefined;
}

/** A destination the guard validated: connect to `address`, never resolve `hostname` again. */
export interface ValidatedTarget {
  url: URL;
  /** The host name without brackets or a trailing dot, lower-cased. */
  hostname: string;
  port: number;
  address: string;
  family: 4 | 6;
}

/** Checks URLs before every connection (the first request and each redirect hop). */
export interface SsrfGuard {
  check(url: URL, signal: AbortSignal): Promise<ValidatedTarget>;
}

/** Host names refused by default even before they are resolved. */
const BLOCKED_HOSTNAMES = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

interface HostPattern {
  host: string;
  wildcard: boolean;
  port: number | undefined;
}

/** The system resolver: every A and AAAA record, in the order the OS returns them. */
export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** Builds a guard for `policy`. Invalid patterns or ranges throw {@link PackConfigError} here. */
export function createSsrfGuard(policy: SsrfPolicy = {}, resolver: Resolver = systemResolver): SsrfGuard {
  if (typeof resolver !== 'function') {
    throw new PackConfigError('httpPack: resolver must be a function (hostname, { signal }) => addresses.');
  }
  const allowHosts = stringList(policy.allowHosts, 'allowHosts').map((text) =>
    parseHostPattern(text, 'allowHosts'),
  );
  const onlyHosts =
    policy.onlyHosts === undefined
      ? undefined
      : stringList(policy.onlyHosts, 'onlyHosts').map((text) => parseHostPattern(text, 'onlyHosts'));
  const allowAddresses = stringList(policy.allowAddresses, 'allowAddresses').map((text) => {
    const cidr = parseCidr(text.trim());
    if (!cidr) {
      throw new PackConfigError(
        `httpPack: allowAddresses entry "${text}" is not an IP address or CIDR range. Use forms like "10.0.0.0/8", "127.0.0.1" or "fd00::/8".`,
      );
    }
    return cidr;
  });
  const allowPrivate = policy.allowPrivate === true;
  // Loopback has several spellings (`localhost`, `127.0.0.1`, `[::1]`) and a resolver may answer
  // `localhost` with either address: allowing one spelling allows loopback under all of them (on
  // the allowed port, when the allowHosts entry names one).
  const loopbackPorts = [
    ...allowHosts.filter((pattern) => !pattern.wildcard && isLoopbackName(pattern.host)),
    ...(allowAddresses.some((cidr) => LOOPBACK.some((ip) => cidrContains(cidr, ip)))
      ? [{ port: undefined }]
      : []),
  ].map((pattern) => pattern.port);
  const loopbackAllowed = (port: number) =>
    loopbackPorts.some((allowed) => allowed === undefined || allowed === port);

  return {
    async check(url, signal) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new PackInputError(
          'unsupported_scheme',
          `Refused ${url.protocol} URL: only http: and https: URLs can be fetched.`,
        );
      }
      if (url.username !== '' || url.password !== '') {
        throw new PackInputError(
          'credentials_in_url',
          'Refused a URL with a user name or password in it. Remove the credentials from the URL.',
        );
      }
      const hostname = normalizeHost(url.hostname);
      const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
      const shown = `${url.protocol}//${url.host}`;

      if (onlyHosts && !onlyHosts.some((pattern) => matchesHost(pattern, hostname, port))) {
        throw new PackInputError(
          'host_not_allowed',
          `Refused ${shown}: this tool may only fetch from ${policy.onlyHosts!.join(', ')}.`,
        );
      }
      const trusted = allowPrivate || allowHosts.some((pattern) => matchesHost(pattern, hostname, port));
      const loopback = loopbackAllowed(port);
      if (!trusted && isBlockedHostname(hostname) && !(loopback && isLoopbackName(hostname))) {
        throw new PackInputError(
          'blocked_host',
          `Refused ${shown}: "${hostname}" is a local or cloud-metadata host name. ${advice(hostname, url.port)}`,
        );
      }

      const literal = parseIp(hostname);
      const addresses = literal
        ? [{ address: formatIp(literal), family: literal.version }]
        : await resolve(resolver, hostname, signal);
      for (const entry of addresses) {
        const ip = parseIp(entry.address);
        if (!ip) {
          throw new PackRemoteError(
            'dns_failed',
            `The resolver returned "${entry.address}" for ${hostname}, which is not an IP address.`,
          );
        }
        if (trusted || allowAddresses.some((cidr) => addressAllowed(cidr, ip))) continue;
        if (loopback && isLoopbackAddress(ip)) continue;
        const reason = blockedReason(ip);
        if (reason !== undefined) {
          const via = literal ? '' : ` resolves to ${formatIp(ip)}, which`;
          throw new PackInputError(
            'blocked_address',
            `Refused ${shown}: "${hostname}"${via} is a ${reason}. ${advice(hostname, url.port, formatIp(ip))}`,
          );
        }
      }
      const first = addresses[0]!;
      return { url, hostname, port, address: first.address, family: first.family };
    },
  };
}

/** What the refusal says: the rule, and the exact option entry that would allow this destination. */
function advice(hostname: string, port: string, address?: string): string {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const entry = JSON.stringify(port === '' ? host : `${host}:${port}`);
  const ways = [`allowHosts: [${entry}]`];
  if (address !== undefined) ways.push(`allowAddresses: [${JSON.stringify(address)}]`);
  const loopback =
    isLoopbackName(hostname) || (address !== undefined && isLoopbackAddress(parseIp(address)!));
  const tests = loopback
    ? " (for tests on loopback, allowAddresses: ['127.0.0.1', '::1'] allows localhost, 127.0.0.1 and [::1] alike)"
    : '';
  return `Only public internet addresses can be fetched. The developer can allow this one in the pack's options with ${ways.join(' or ')}${tests}.`;
}

const LOOPBACK: readonly ParsedIp[] = [parseIp('127.0.0.1')!, parseIp('::1')!];
const LOOPBACK_V4 = parseCidr('127.0.0.0/8')!;

/** `127.0.0.0/8`, `::1`, or an IPv6 form carrying a 127.x address (`::ffff:127.0.0.1`). */
function isLoopbackAddress(ip: ParsedIp): boolean {
  if (cidrContains(LOOPBACK_V4, ip)) return true;
  if (ip.version === 6 && formatIp(ip) === '::1') return true;
  const inner = embeddedIpv4(ip);
  return inner !== undefined && cidrContains(LOOPBACK_V4, inner);
}

/** `localhost`, `*.localhost`, or a loopback address literal (normalized, without brackets). */
function isLoopbackName(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const ip = parseIp(host);
  return ip !== undefined && isLoopbackAddress(ip);
}

/** An allow-list option: undefined (empty) or an array of strings; anything else is a config error. */
function stringList(value: readonly string[] | undefined, option: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw new PackConfigError(
      `httpPack: ${option} must be an array of strings, e.g. ${option === 'allowAddresses' ? '["10.0.0.0/8"]' : '["intranet.example"]'}.`,
    );
  }
  return value;
}

async function resolve(resolver: Resolver, hostname: string, signal: AbortSignal) {
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolver(hostname, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const code = (error as { code?: unknown }).code;
    throw new PackRemoteError(
      'dns_failed',
      `Could not resolve host "${hostname}"${typeof code === 'string' ? ` (${code})` : ''}. Check the spelling of the URL.`,
      { cause: error },
    );
  }
  if (addresses.length === 0) {
    throw new PackRemoteError('dns_failed', `Host "${hostname}" has no addresses. Check the URL.`);
  }
  return addresses;
}

function addressAllowed(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidrContains(cidr, ip)) return true;
  const inner = embeddedIpv4(ip);
  return inner !== undefined && cidrContains(cidr, inner);
}

function isBlockedHostname(hostname: string): boolean {
  return BLOCKED_HOSTNAMES.has(hostname) || hostname.endsWith('.localhost');
}

/** Lower-cases, removes IPv6 brackets and trailing dots (`LOCALHOST.` is `localhost`). */
function normalizeHost(host: string): string {
  let result = host.toLowerCase();
  if (result.startsWith('[') && result.endsWith(']')) result = result.slice(1, -1);
  while (result.endsWith('.')) result = result.slice(0, -1);
  return result;
}

function parseHostPattern(text: string, option: string): HostPattern {
  const trimmed = text.trim().toLowerCase();
  let host = trimmed;
  let port: number | undefined;
  const bracketEnd = trimmed.startsWith('[') ? trimmed.indexOf(']') : -1;
  const colon = bracketEnd === -1 ? trimmed.lastIndexOf(':') : trimmed.indexOf(':', bracketEnd);
  const isBareIpv6 = bracketEnd === -1 && trimmed.indexOf(':') !== colon;
  if (colon !== -1 && !isBareIpv6) {
    const portText = trimmed.slice(colon + 1);
    port = Number(portText);
    host = trimmed.slice(0, colon);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) host = '';
  }
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  host = normalizeHost(host);
  if (host === '' || /[/\s@*]/.test(host) || (host.includes(':') && !parseIp(host))) {
    throw new PackConfigError(
      `httpPack: ${option} entry "${text}" is not a host pattern. Use forms like "example.com", "*.example.com", "localhost:8080", "127.0.0.1" or "[::1]".`,
    );
  }
  const ip = parseIp(host);
  return { host: ip ? formatIp(ip) : host, wildcard, port };
}

function matchesHost(pattern: HostPattern, hostname: string, port: number): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  const ip = parseIp(hostname);
  const host = ip ? formatIp(ip) : hostname;
  if (pattern.wildcard) return host.endsWith(`.${pattern.host}`);
  return host === pattern.host;
}
