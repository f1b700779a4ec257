import { describe, expect, it } from 'vitest';
import { PackConfigError, PackInputError, PackRemoteError } from '../errors.js';
import type { Connector, ConnectRequest, ConnectResponse } from './connector.js';
import { guardedFetch } from './guarded-fetch.js';
import { createSsrfGuard, type Resolver, type SsrfPolicy } from './ssrf-guard.js';

// No test in this file opens a connection: the resolver is a table and the connector records the
// request and answers from a script (or refuses). The guard must refuse before the connector runs.

const DNS: Record<string, string[]> = {
  'public.example': ['93.184.215.14'],
  'dual.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'internal.example': ['10.0.0.5'],
  'home.example': ['192.168.1.1'],
  'loop.example': ['127.0.0.1'],
  'loop6.example': ['::1'],
  'meta.example': ['169.254.169.254'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'mixed.example': ['93.184.215.14', '10.0.0.1'],
  'ula.example': ['fd00::1'],
  'nonsense.example': ['not-an-ip'],
};

function fakeResolver(log: string[] = []): Resolver {
  return async (hostname) => {
    log.push(hostname);
    const found = DNS[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** Records every request; answers from `replies` keyed by URL, and refuses anything else. */
function recordingConnector(replies: Record<string, Reply> = {}) {
  const requests: ConnectRequest[] = [];
  const connector: Connector = async (request) => {
    requests.push(request);
    const reply = replies[request.url.href];
    if (!reply) throw new Error(`test connector refuses to connect to ${request.url.href}`);
    return fakeResponse(reply);
  };
  return { connector, requests };
}

function fakeResponse(reply: Reply): ConnectResponse {
  const bytes = new TextEncoder().encode(reply.body ?? '');
  return {
    status: reply.status,
    headers: reply.headers ?? {},
    body: (async function* () {
      yield bytes;
    })(),
    cancel() {},
  };
}

async function refusal(url: string, policy: SsrfPolicy = {}) {
  const { connector, requests } = recordingConnector();
  const guard = createSsrfGuard(policy, fakeResolver());
  const error = await guardedFetch(url, { guard, connector }).catch((caught: unknown) => caught);
  expect(requests, 'the connector must never be reached').toHaveLength(0);
  return error as PackInputError;
}

describe('the SSRF guard refuses non-public destinations before connecting', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.0.0.1:8080/admin', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback address inside an IPv6'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://10.0.0.1/', 'private'],
    ['http://10.255.255.255:9200/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.0.1/', 'private'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
  ])('%s (%s)', async (url, label) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(PackInputError);
    expect(error.code).toBe('blocked_address');
    expect(error.message).toContain(label);
    expect(error.message).toContain('allowHosts');
  });

  it.each([
    ['http://internal.example/', '10.0.0.5', 'private'],
    ['http://home.example/', '192.168.1.1', 'private'],
    ['http://loop.example/', '127.0.0.1', 'loopback'],
    ['http://loop6.example/', '::1', 'loopback'],
    ['http://meta.example/', '169.254.169.254', 'cloud metadata'],
    ['http://mapped.example/', '::ffff:7f00:1', 'loopback'],
    ['http://ula.example/', 'fd00::1', 'unique-local'],
    ['http://mixed.example/', '10.0.0.1', 'private'],
  ])('host name %s that resolves to %s', async (url, address, label) => {
    const error = await refusal(url);
    expect(error.code).toBe('blocked_address');
    expect(error.message).toContain(`resolves to ${address}`);
    expect(error.message).toContain(label);
  });

  it.each([
    'http://localhost/',
    'http://LOCALHOST./',
    'http://app.localhost/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata/',
  ])('local and metadata host names without resolving them: %s', async (url) => {
    const error = await refusal(url);
    expect(error.code).toBe('blocked_host');
  });

  it.each([
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['ftp://public.example/', 'unsupported_scheme'],
    ['data:text/plain,hi', 'unsupported_scheme'],
    ['http://user:secret@public.example/', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
  ])('%s', async (url, code) => {
    expect((await refusal(url)).code).toBe(code);
  });

  it('refuses a host outside onlyHosts', async () => {
    const error = await refusal('http://public.example/', { onlyHosts: ['docs.example'] });
    expect(error.code).toBe('host_not_allowed');
    expect(error.message).toContain('docs.example');
  });

  it('reports a name that does not resolve as a remote error', async () => {
    const error = await refusal('http://nowhere.example/');
    expect(error).toBeInstanceOf(PackRemoteError);
    expect(error.message).toContain('ENOTFOUND');
    expect((await refusal('http://nonsense.example/')).code).toBe('dns_failed');
  });
});

describe('every redirect hop goes through the guard', () => {
  it.each([
    ['http://127.0.0.1/', 'blocked_address'],
    ['http://[::1]:8080/', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/iam/', 'blocked_address'],
    ['http://192.168.1.1/', 'blocked_address'],
    ['http://10.0.0.1:8080/', 'blocked_address'],
    ['http://internal.example/', 'blocked_address'],
    ['http://meta.example/', 'blocked_address'],
    ['http://localhost/', 'blocked_host'],
    ['file:///etc/passwd', 'unsupported_scheme'],
  ])('a public page redirecting to %s is refused at that hop', async (location, code) => {
    const { connector, requests } = recordingConnector({
      'http://public.example/start': { status: 302, headers: { location } },
    });
    const guard = createSsrfGuard({}, fakeResolver());
    const error = await guardedFetch('http://public.example/start', { guard, connector }).catch((e) => e);
    expect(error.code).toBe(code);
    expect(requests.map((request) => request.url.href)).toEqual(['http://public.example/start']);
  });

  it('follows allowed redirects, connecting to the validated address each time', async () => {
    const { connector, requests } = recordingConnector({
      'http://public.example/a': { status: 301, headers: { location: '/b' } },
      'http://public.example/b': { status: 307, headers: { location: 'https://dual.example/c' } },
      'https://dual.example/c': { status: 200, headers: { 'content-type': 'text/plain' }, body: 'done' },
    });
    const log: string[] = [];
    const guard = createSsrfGuard({}, fakeResolver(log));
    const response = await guardedFetch('http://public.example/a', { guard, connector });
    expect(new TextDecoder().decode(response.body)).toBe('done');
    expect(response.url).toBe('https://dual.example/c');
    expect(response.redirects).toEqual(['http://public.example/a', 'http://public.example/b']);
    expect(requests.map((request) => request.address)).toEqual([
      '93.184.215.14',
      '93.184.215.14',
      '93.184.215.14',
    ]);
    expect(log).toEqual(['public.example', 'public.example', 'dual.example']);
  });

  it('stops after maxRedirects', async () => {
    const { connector, requests } = recordingConnector({
      'http://public.example/loop': { status: 302, headers: { location: '/loop' } },
    });
    const guard = createSsrfGuard({}, fakeResolver());
    const error = await guardedFetch('http://public.example/loop', {
      guard,
      connector,
      maxRedirects: 3,
    }).catch((e) => e);
    expect(error.code).toBe('too_many_redirects');
    expect(requests).toHaveLength(4);
  });

  it('turns POST into GET on 303 and drops credentials on a cross-origin hop', async () => {
    const { connector, requests } = recordingConnector({
      'http://public.example/form': { status: 303, headers: { location: 'http://dual.example/done' } },
      'http://dual.example/done': { status: 200, body: 'ok' },
    });
    const guard = createSsrfGuard({}, fakeResolver());
    await guardedFetch('http://public.example/form', {
      guard,
      connector,
      method: 'POST',
      body: 'a=1',
      headers: { Authorization: 'Bearer secret', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(requests[0]).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer secret' } });
    expect(requests[1]!.method).toBe('GET');
    expect(requests[1]!.body).toBeUndefined();
    expect(requests[1]!.headers.authorization).toBeUndefined();
    expect(requests[1]!.headers['content-type']).toBeUndefined();
  });
});

describe('allow-lists', () => {
  it('allowHosts lets a named host reach a private address, and nothing else', async () => {
    const { connector, requests } = recordingConnector({ 'http://internal.example/': { status: 200 } });
    const guard = createSsrfGuard({ allowHosts: ['internal.example'] }, fakeResolver());
    await guardedFetch('http://internal.example/', { guard, connector });
    expect(requests[0]!.address).toBe('10.0.0.5');
    await expect(guard.check(new URL('http://home.example/'), new AbortController().signal)).rejects.toThrow(
      /private/,
    );
  });

  it('allowHosts patterns: wildcards match subdomains only, ports restrict', async () => {
    const guard = createSsrfGuard({ allowHosts: ['*.corp.example', 'localhost:8080', '[::1]'] }, async () => [
      { address: '10.9.9.9', family: 4 },
    ]);
    const signal = new AbortController().signal;
    await expect(guard.check(new URL('http://a.b.corp.example/'), signal)).resolves.toMatchObject({
      address: '10.9.9.9',
    });
    await expect(guard.check(new URL('http://corp.example/'), signal)).rejects.toThrow(PackInputError);
    await expect(guard.check(new URL('http://localhost:8080/'), signal)).resolves.toBeDefined();
    await expect(guard.check(new URL('http://localhost:9090/'), signal)).rejects.toThrow(/blocked|local/);
    await expect(guard.check(new URL('http://[::1]:1234/'), signal)).resolves.toMatchObject({
      address: '::1',
    });
  });

  it('allowAddresses lets a CIDR through, also in IPv4-mapped form', async () => {
    const guard = createSsrfGuard({ allowAddresses: ['10.0.0.0/24', '127.0.0.1'] }, fakeResolver());
    const signal = new AbortController().signal;
    await expect(guard.check(new URL('http://internal.example/'), signal)).resolves.toBeDefined();
    await expect(guard.check(new URL('http://mapped.example/'), signal)).resolves.toBeDefined();
    await expect(guard.check(new URL('http://10.0.1.1/'), signal)).rejects.toThrow(/private/);
    await expect(guard.check(new URL('http://localhost/'), signal)).rejects.toThrow(/local/);
  });

  it('allowPrivate turns the address checks off', async () => {
    const guard = createSsrfGuard({ allowPrivate: true }, fakeResolver());
    const signal = new AbortController().signal;
    await expect(guard.check(new URL('http://169.254.169.254/'), signal)).resolves.toBeDefined();
    await expect(guard.check(new URL('file:///etc/passwd'), signal)).rejects.toThrow(/only http/);
  });

  it('rejects invalid allow-list entries when the guard is built', () => {
    expect(() => createSsrfGuard({ allowAddresses: ['10.0.0.0/99'] })).toThrow(PackConfigError);
    expect(() => createSsrfGuard({ allowAddresses: ['intranet'] })).toThrow(/not an IP address or CIDR/);
    expect(() => createSsrfGuard({ allowHosts: ['http://example.com/'] })).toThrow(/not a host pattern/);
    expect(() => createSsrfGuard({ allowHosts: [''] })).toThrow(PackConfigError);
    expect(() => createSsrfGuard({ allowHosts: ['example.com:99999'] })).toThrow(PackConfigError);
  });
});

describe('timeouts without a network', () => {
  it('a resolver that never answers is cut off by the timeout', async () => {
    const guard = createSsrfGuard({}, () => new Promise(() => {}));
    const { connector } = recordingConnector();
    const error = await guardedFetch('http://slow-dns.example/', { guard, connector, timeoutMs: 20 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PackRemoteError);
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('timed out after 20 ms');
  });

  it("the caller's abort wins and is rethrown as is", async () => {
    const guard = createSsrfGuard({}, () => new Promise(() => {}));
    const controller = new AbortController();
    const reason = new Error('user stopped');
    const pending = guardedFetch('http://slow-dns.example/', { guard, signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('issue 12: more refused ranges, cross-origin headers, loopback spellings', () => {
  it.each([
    ['http://168.63.129.16/machine?comp=goalstate', "Azure's WireServer"],
    ['http://[::ffff:168.63.129.16]/', "Azure's WireServer"],
    ['http://[3fff::1]/', 'documentation address (3fff::/20)'],
    ['http://[3fff:fff:ffff::1]/', 'documentation address (3fff::/20)'],
  ])('refuses %s', async (url, label) => {
    const error = await refusal(url);
    expect(error.code).toBe('blocked_address');
    expect(error.message).toContain(label);
  });

  it('still allows the public neighbours of those ranges', async () => {
    const { connector, requests } = recordingConnector({
      'http://168.63.129.17/': { status: 200 },
      'http://[3fff:1000::1]/': { status: 200 },
    });
    const guard = createSsrfGuard({}, fakeResolver());
    await guardedFetch('http://168.63.129.17/', { guard, connector });
    await guardedFetch('http://[3fff:1000::1]/', { guard, connector });
    expect(requests).toHaveLength(2);
  });

  it('drops every header but a safe allow-list when a redirect leaves the origin', async () => {
    const { connector, requests } = recordingConnector({
      'http://public.example/start': { status: 302, headers: { location: '/same' } },
      'http://public.example/same': { status: 302, headers: { location: 'http://dual.example/next' } },
      'http://dual.example/next': { status: 200 },
    });
    const headers = {
      'X-Api-Key': 'k1',
      'api-key': 'k2',
      'x-auth-token': 'k3',
      'proxy-authorization': 'Basic k4',
      'x-my-company-auth': 'k5',
      authorization: 'Bearer k6',
      cookie: 'session=k7',
      accept: 'application/json',
      'user-agent': 'plumb-test',
    };
    await guardedFetch('http://public.example/start', {
      guard: createSsrfGuard({}, fakeResolver()),
      connector,
      headers,
    });
    // Same origin: everything is kept.
    expect(requests[1]!.headers).toMatchObject({ 'x-api-key': 'k1', 'x-my-company-auth': 'k5' });
    // Another origin: only headers that never carry credentials.
    const sent = requests[2]!.headers;
    expect(Object.keys(sent).sort()).toEqual(['accept', 'accept-encoding', 'user-agent']);
    expect(JSON.stringify(sent)).not.toMatch(/k\d/);
  });

  it.each([
    ['allowAddresses 127.0.0.1', { allowAddresses: ['127.0.0.1'] }],
    ['allowAddresses ::1', { allowAddresses: ['::1'] }],
    ['allowHosts localhost', { allowHosts: ['localhost'] }],
    ['allowHosts 127.0.0.1', { allowHosts: ['127.0.0.1'] }],
    ['allowHosts [::1]', { allowHosts: ['[::1]'] }],
  ] as const)('%s allows localhost, 127.0.0.1 and [::1] alike', async (_label, policy) => {
    const urls = ['http://localhost:8080/', 'http://127.0.0.1:8080/', 'http://[::1]:8080/'];
    const { connector, requests } = recordingConnector(
      Object.fromEntries(urls.map((url) => [url, { status: 200 }])),
    );
    // localhost answers with both addresses, IPv6 first, as many systems do.
    const resolver: Resolver = async (hostname) => {
      if (hostname !== 'localhost') throw new Error(`unexpected lookup of ${hostname}`);
      return [
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ];
    };
    const guard = createSsrfGuard(policy, resolver);
    for (const url of urls) await guardedFetch(url, { guard, connector });
    expect(requests.map((request) => request.address)).toEqual(['::1', '127.0.0.1', '::1']);
    // Loopback only: private addresses stay refused.
    const refusedPrivate = await guardedFetch('http://10.0.0.1/', { guard, connector }).catch((e) => e);
    expect(refusedPrivate.code).toBe('blocked_address');
  });

  it('a port on the allowHosts entry limits every loopback spelling to that port', async () => {
    const { connector } = recordingConnector({ 'http://127.0.0.1:8080/': { status: 200 } });
    const guard = createSsrfGuard({ allowHosts: ['localhost:8080'] }, fakeResolver());
    await expect(guardedFetch('http://127.0.0.1:8080/', { guard, connector })).resolves.toMatchObject({
      status: 200,
    });
    const other = await guardedFetch('http://127.0.0.1:9090/', { guard, connector }).catch((e) => e);
    expect(other.code).toBe('blocked_address');
  });

  it('a localhost that resolves off loopback stays refused', async () => {
    const guard = createSsrfGuard({ allowAddresses: ['127.0.0.1'] }, async () => [
      { address: '10.0.0.9', family: 4 },
    ]);
    const error = await guardedFetch('http://localhost/', {
      guard,
      connector: recordingConnector().connector,
    }).catch((e) => e);
    expect(error.code).toBe('blocked_address');
  });

  it.each([
    ['http://localhost:3000/', 'allowHosts: ["localhost:3000"]', 'blocked_host'],
    ['http://127.0.0.1/', 'allowAddresses: ["127.0.0.1"]', 'blocked_address'],
    ['http://internal.example/', 'allowAddresses: ["10.0.0.5"]', 'blocked_address'],
  ])('the refusal of %s names the option entry that allows it', async (url, entry, code) => {
    const error = await refusal(url);
    expect(error.code).toBe(code);
    expect(error.message).toContain(entry);
  });

  it('the loopback refusal explains how to allow loopback for tests', async () => {
    const error = await refusal('http://[::1]/');
    expect(error.message).toContain(
      "allowAddresses: ['127.0.0.1', '::1'] allows localhost, 127.0.0.1 and [::1] alike",
    );
  });
});

describe('error texts are cut on code-point boundaries', () => {
  it('an invalid URL is quoted without half an emoji', async () => {
    const error = await refusal(`${'x'.repeat(199)}😀 not a url`);
    expect(error.code).toBe('invalid_url');
    expect(error.message).toContain(`"${'x'.repeat(199)}"`);
    expect(error.message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
