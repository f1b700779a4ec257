import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyTool } from '@plumb/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connector, type ConnectRequest, httpPack, PackConfigError, type Resolver } from './index.js';

// Only a loopback server of this file's own is ever connected to; every other destination goes
// through a fake resolver and a connector that records the request and refuses it.

let server: Server;
let origin: string;
const received: { method: string; headers: Record<string, unknown>; body: string }[] = [];
let hangingClosed = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ method: request.method ?? '', headers: request.headers, body });
      if (request.url === '/hang') {
        request.socket.once('close', () => {
          hangingClosed++;
        });
      } else if (request.url === '/page') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<title>T</title><p>Hello <b>there</b></p>');
      } else if (request.url === '/big') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('z'.repeat(5000));
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(`${request.method} ok`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = (target: AnyTool, args: unknown, signal?: AbortSignal) =>
  target.invoke({ id: 'call_00_http', function: { arguments: JSON.stringify(args) } }, { signal });

/** Polls a condition (at most 100 times, 10 ms apart). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

function refusingNet(dns: Record<string, string>) {
  const attempts: ConnectRequest[] = [];
  const resolver: Resolver = async (hostname) => {
    const address = dns[hostname];
    if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  const connector: Connector = async (request) => {
    attempts.push(request);
    throw new Error('the test connector never connects');
  };
  return { resolver, connector, attempts };
}

describe('httpPack', () => {
  it('defines fetch_url with GET only by default', () => {
    const pack = httpPack();
    expect(pack.tools.map((tool) => tool.name)).toEqual(['fetch_url']);
    const { parameters } = pack.tools[0]!.definition.function;
    expect(parameters).toMatchObject({ type: 'object', required: ['url'] });
    expect(Object.keys((parameters as { properties: object }).properties).sort()).toEqual([
      'format',
      'headers',
      'url',
    ]);
  });

  it('adds method (and body for methods that carry one) only when allowed', async () => {
    const pack = httpPack({ methods: ['GET', 'post'], allowAddresses: ['127.0.0.1'] });
    const { parameters } = pack.tools[0]!.definition.function;
    expect(parameters).toMatchObject({
      properties: { method: { enum: ['GET', 'POST'] }, body: { type: 'string' } },
    });
    const posted = await call(pack.tools[0]!, { url: `${origin}/echo`, method: 'POST', body: 'x=1' });
    expect(posted.content).toContain('POST ok');
    expect(received.at(-1)).toMatchObject({ method: 'POST', body: 'x=1' });
    const refused = await call(httpPack({ allowAddresses: ['127.0.0.1'] }).tools[0]!, {
      url: `${origin}/`,
      method: 'DELETE',
    });
    expect(refused.ok).toBe(true);
    expect(received.at(-1)!.method).toBe('GET');
    const wrong = await call(pack.tools[0]!, { url: `${origin}/`, method: 'DELETE' });
    expect(wrong.ok).toBe(false);
    expect(wrong.content).toContain('method');
  });

  it('fetches an allow-listed loopback page as readable text through the executor', async () => {
    const pack = httpPack({ allowAddresses: ['127.0.0.1/32'], headers: { 'User-Agent': 'plumb-test' } });
    const outcome = await call(pack.tools[0]!, { url: `${origin}/page`, headers: { 'X-Trace': '1' } });
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.content).toBe(
      `URL: ${origin}/page\nStatus: 200\nContent-Type: text/html\nTitle: T\n\nHello there`,
    );
    expect(received.at(-1)!.headers).toMatchObject({ 'user-agent': 'plumb-test', 'x-trace': '1' });
  });

  it("the developer's headers win over the model's", async () => {
    const pack = httpPack({ allowAddresses: ['127.0.0.1'], headers: { Authorization: 'Bearer developer' } });
    const outcome = await call(pack.tools[0]!, {
      url: `${origin}/echo`,
      headers: { authorization: 'Bearer model', 'x-model': 'yes' },
    });
    expect(outcome.ok).toBe(true);
    expect(received.at(-1)!.headers).toMatchObject({ authorization: 'Bearer developer', 'x-model': 'yes' });
  });

  it('refuses a request body over maxBytes without sending anything', async () => {
    const pack = httpPack({ allowAddresses: ['127.0.0.1'], methods: ['POST'], maxBytes: 10 });
    const before = received.length;
    const outcome = await call(pack.tools[0]!, { url: `${origin}/echo`, body: 'x'.repeat(11) });
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toContain('longer than 10 bytes');
    expect(received).toHaveLength(before);
  });

  it("aborting the run stops the request and closes the connection (the call's signal is passed on)", async () => {
    const pack = httpPack({ allowAddresses: ['127.0.0.1'] });
    const controller = new AbortController();
    const before = { requests: received.length, closed: hangingClosed };
    const pending = call(pack.tools[0]!, { url: `${origin}/hang` }, controller.signal);
    await waitFor(() => received.length > before.requests);
    controller.abort(new Error('run aborted'));
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    await waitFor(() => hangingClosed > before.closed);
    expect(hangingClosed).toBe(before.closed + 1);
  });

  it('reports a cut body in the text', async () => {
    const pack = httpPack({ allowAddresses: ['127.0.0.1'], maxBytes: 100 });
    const outcome = await call(pack.tools[0]!, { url: `${origin}/big` });
    expect(outcome.content).toContain(`${'z'.repeat(100)}\n\n[The body was longer than the size limit`);
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://10.1.2.3/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://rebound.example/', 'resolves to 10.0.0.7'],
    ['http://metadata.google.internal/', 'metadata host name'],
  ])('refuses %s with a model-readable error, without connecting', async (url, message) => {
    const net = refusingNet({ 'rebound.example': '10.0.0.7' });
    const pack = httpPack({ resolver: net.resolver, connector: net.connector });
    const outcome = await call(pack.tools[0]!, { url });
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toContain('Refused');
    expect(outcome.content).toContain(message);
    expect(net.attempts).toEqual([]);
  });

  it('refuses headers that would break or smuggle the request', async () => {
    const net = refusingNet({ 'public.example': '93.184.215.14' });
    const pack = httpPack({ resolver: net.resolver, connector: net.connector });
    for (const headers of [
      { Host: 'evil' },
      { 'Transfer-Encoding': 'chunked' },
      { 'X-A': 'a\r\nInjected: 1' },
      { 'bad name': 'x' },
    ]) {
      const outcome = await call(pack.tools[0]!, { url: 'http://public.example/', headers });
      expect(outcome.ok).toBe(false);
      expect(outcome.content).toMatch(/header/);
    }
    expect(net.attempts).toEqual([]);
  });

  it('checks its options when built', () => {
    expect(() => httpPack({ methods: ['TRACE'] })).toThrow(PackConfigError);
    expect(() => httpPack({ methods: [] })).toThrow(PackConfigError);
    expect(() => httpPack({ allowAddresses: ['nonsense'] })).toThrow(PackConfigError);
    expect(() => httpPack({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(httpPack({ maxRedirects: 0 }).tools).toHaveLength(1);
    expect(() => httpPack({ maxRedirects: -1 })).toThrow(/maxRedirects must be a whole number, 0 or more/);
    expect(() => httpPack({ methods: 'GET' as never })).toThrow(
      'httpPack: methods must be an array of strings, got a string ("GET").',
    );
    expect(() => httpPack({ headers: { 'x-token': 'a\r\nInjected: 1' } })).toThrow(/headers\.x-token/);
    expect(() => httpPack({ headers: { Host: 'other.example' } })).toThrow(/headers\.host cannot be set/);
    expect(() => httpPack({ headers: { 'x-n': 1 as never } })).toThrow(PackConfigError);
    expect(() => httpPack({ allowHosts: [42 as never] })).toThrow(/allowHosts must be an array of strings/);
    expect(() => httpPack({ onlyHosts: 'example.com' as never })).toThrow(/onlyHosts must be an array/);
    expect(() => httpPack({ connector: {} as never })).toThrow(/connector must be a function/);
    expect(() => httpPack({ resolver: 'dns' as never })).toThrow(/resolver must be a function/);
  });
});
