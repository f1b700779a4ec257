import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackInputError, PackRemoteError } from '../errors.js';
import { type Connector, type ConnectRequest, nodeConnector } from './connector.js';
import { guardedFetch } from './guarded-fetch.js';
import { renderResponse } from './render.js';
import { createSsrfGuard, type Resolver } from './ssrf-guard.js';

// These tests talk only to a node:http server of their own on 127.0.0.1, allow-listed per test.
// Where a test makes the guard refuse a non-loopback hop, the connector is `loopbackOnly`: the real
// node:http connector behind a check that records and refuses any other address, so even a broken
// guard could not open a connection outside loopback.

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: { path: string; host: string | undefined; method: string }[] = [];
let closedEarly = 0;
let hungClosed = 0;
let server: Server;
let origin: string;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', host: request.headers.host, method: request.method ?? '' });
    const handler = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (handler) handler(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  routes.set('/text', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('plain text ✓');
  });
  routes.set('/json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"n":[1,2]}');
  });
  routes.set('/html', (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        '<html><head><title>Page</title><script>evil()</script></head><body><h1>Hi</h1><p>A &amp; B <a href="/text">link</a></p></body></html>',
      );
  });
  routes.set('/latin1', (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
      .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });
  routes.set('/image', (_request, response) => {
    response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
  routes.set('/gzip', (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end(gzipSync('unzipped body'));
  });
  routes.set('/bomb', (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end(gzipSync(Buffer.alloc(20_000_000, 97)));
  });
  routes.set('/endless', (request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16_384, 120);
    let sent = 0;
    const pump = () => {
      while (sent < 2000 && response.write(chunk)) sent++;
      if (sent < 2000) response.once('drain', pump);
      else response.end();
    };
    request.socket.once('close', () => {
      if (!response.writableEnded) closedEarly++;
    });
    pump();
  });
  routes.set('/hang', (request) => {
    request.socket.once('close', () => {
      hungClosed++;
    });
  });
  routes.set('/slow-body', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('start');
  });
  routes.set('/redirect', (_request, response) => {
    response.writeHead(302, { location: '/text' }).end();
  });
  routes.set('/redirect-localhost', (_request, response) => {
    response.writeHead(302, { location: `http://localhost:${port}/text` }).end();
  });
  routes.set('/redirect-metadata', (_request, response) => {
    response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  });
  routes.set('/redirect-loop', (_request, response) => {
    response.writeHead(302, { location: '/redirect-loop' }).end();
  });
  routes.set('/echo-method', (request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`${request.method} ${body}`),
    );
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Polls a condition (at most 100 times, 10 ms apart). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const allowLoopback = () => createSsrfGuard({ allowAddresses: ['127.0.0.1'] });

/** node:http, but only to 127.0.0.1 / ::1; any other address is recorded and refused. */
function loopbackOnly() {
  const refused: ConnectRequest[] = [];
  const connector: Connector = async (request) => {
    if (request.address !== '127.0.0.1' && request.address !== '::1') {
      refused.push(request);
      throw new Error(`test connector refuses ${request.address}`);
    }
    return nodeConnector(request);
  };
  return { connector, refused };
}

/** Answers `localhost` from a table; every other name fails without asking the system resolver. */
const tableResolver: Resolver = async (hostname) => {
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('guardedFetch against a live loopback server (allow-listed)', () => {
  it('is refused by default: loopback is blocked until allow-listed', async () => {
    const error = await guardedFetch(`${origin}/text`, { guard: createSsrfGuard() }).catch((e) => e);
    expect(error).toBeInstanceOf(PackInputError);
    expect(error.code).toBe('blocked_address');
  });

  it('fetches text, JSON, HTML (as readable text), other charsets and binary types', async () => {
    const guard = allowLoopback();
    const plain = renderResponse(await guardedFetch(`${origin}/text`, { guard }));
    expect(plain).toMatchObject({ status: 200, contentType: 'text/plain', content: 'plain text ✓' });
    expect(renderResponse(await guardedFetch(`${origin}/json`, { guard })).content).toBe(
      '{"ok":true,"n":[1,2]}',
    );
    const html = renderResponse(await guardedFetch(`${origin}/html`, { guard }));
    expect(html).toMatchObject({
      title: 'Page',
      content: `# Hi\n\nA & B [link](${origin}/text)`,
    });
    const raw = renderResponse(await guardedFetch(`${origin}/html`, { guard }), 'raw');
    expect(raw.content).toContain('<script>evil()</script>');
    expect(renderResponse(await guardedFetch(`${origin}/latin1`, { guard })).content).toBe('café');
    const image = renderResponse(await guardedFetch(`${origin}/image`, { guard }));
    expect(image.content).toBe('');
    expect(image.notice).toContain('binary (image/png, 4 bytes)');
    const missing = renderResponse(await guardedFetch(`${origin}/nothing-here`, { guard }));
    expect(missing).toMatchObject({ status: 404, content: 'no route' });
  });

  it('decompresses gzip, and caps the decompressed size (a gzip bomb costs at most the cap)', async () => {
    const guard = allowLoopback();
    expect(text((await guardedFetch(`${origin}/gzip`, { guard })).body)).toBe('unzipped body');
    const bomb = await guardedFetch(`${origin}/bomb`, { guard, maxBytes: 100_000 });
    expect(bomb.truncated).toBe(true);
    expect(bomb.body.byteLength).toBe(100_000);
  });

  it('stops reading an oversized body at maxBytes and closes the connection', async () => {
    const before = closedEarly;
    const response = await guardedFetch(`${origin}/endless`, { guard: allowLoopback(), maxBytes: 50_000 });
    expect(response.truncated).toBe(true);
    expect(response.body.byteLength).toBe(50_000);
    const rendered = renderResponse(response);
    expect(rendered.truncated).toBe(true);
    expect(rendered.notice).toContain('cut');
    await waitFor(() => closedEarly > before);
    expect(closedEarly).toBe(before + 1);
  });

  it('times out on a server that never answers, or answers too slowly', async () => {
    const guard = allowLoopback();
    const hung = await guardedFetch(`${origin}/hang`, { guard, timeoutMs: 100 }).catch((e) => e);
    expect(hung).toBeInstanceOf(PackRemoteError);
    expect(hung.code).toBe('timeout');
    const slow = await guardedFetch(`${origin}/slow-body`, { guard, timeoutMs: 100 }).catch((e) => e);
    expect(slow.code).toBe('timeout');
  });

  it("stops when the caller aborts, rethrowing the caller's reason and closing the connection", async () => {
    const controller = new AbortController();
    const before = hungClosed;
    const pending = guardedFetch(`${origin}/hang`, { guard: allowLoopback(), signal: controller.signal });
    await waitFor(() => seen.at(-1)?.path === '/hang');
    const reason = new Error('run aborted');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await waitFor(() => hungClosed > before);
    expect(hungClosed).toBe(before + 1);
  });

  it('follows a same-host redirect and one to localhost (loopback is allowed), refuses metadata', async () => {
    const guard = createSsrfGuard({ allowAddresses: ['127.0.0.1'] }, tableResolver);
    const { connector, refused } = loopbackOnly();
    const followed = await guardedFetch(`${origin}/redirect`, { guard, connector });
    expect(followed).toMatchObject({ url: `${origin}/text`, redirects: [`${origin}/redirect`] });
    const before = seen.length;
    // allowAddresses: ['127.0.0.1'] allows loopback under every spelling, localhost included.
    const toLocalhost = await guardedFetch(`${origin}/redirect-localhost`, { guard, connector });
    expect(toLocalhost).toMatchObject({ status: 200, url: `http://localhost:${port}/text` });
    const toMetadata = await guardedFetch(`${origin}/redirect-metadata`, { guard, connector }).catch(
      (e) => e,
    );
    expect(toMetadata.code).toBe('blocked_address');
    expect(toMetadata.message).toContain('cloud metadata');
    expect(seen.slice(before).map((request) => request.path)).toEqual([
      '/redirect-localhost',
      '/text',
      '/redirect-metadata',
    ]);
    expect(refused, 'the guard refuses before any connector runs').toEqual([]);
    const loop = await guardedFetch(`${origin}/redirect-loop`, { guard, connector, maxRedirects: 2 }).catch(
      (e) => e,
    );
    expect(loop.code).toBe('too_many_redirects');
  });

  it('connects to the validated address, not a fresh DNS answer (no rebinding)', async () => {
    let calls = 0;
    const rebinding: Resolver = async () => {
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const guard = createSsrfGuard({ allowHosts: ['rebind.test'] }, rebinding);
    const response = await guardedFetch(`http://rebind.test:${port}/text`, { guard });
    expect(text(response.body)).toBe('plain text ✓');
    expect(calls).toBe(1);
    expect(seen.at(-1)).toMatchObject({ path: '/text', host: `rebind.test:${port}` });
  });

  it('sends the method and body it was given', async () => {
    const response = await guardedFetch(`${origin}/echo-method`, {
      guard: allowLoopback(),
      method: 'post',
      body: 'a=1',
    });
    expect(text(response.body)).toBe('POST a=1');
  });
});
