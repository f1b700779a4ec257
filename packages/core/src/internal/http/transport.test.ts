import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultTransport } from '#default-transport';
import { APIConnectionError, DeepSeek } from '../../index.js';
import { clientFor, emulate, failureOf, hello, serve } from '../../test-helpers.js';
import { fetchTransport } from './fetch-transport.js';
import { pickTransport } from './http-client.js';
import { nodeTransport } from './node-transport.js';

/**
 * Which transport carries a request. On Node (the `node` condition of `#default-transport`, which
 * vitest resolves like Node does) it is node:http unless the request needs fetch. What each sends
 * tells them apart at the server: undici adds `sec-fetch-mode` and a `user-agent`, node:http
 * neither. Every behaviour of both is tested by the client tests (describe.each over TRANSPORTS).
 */
describe('transport selection', () => {
  it('is node:http on Node by default; fetch for a caller fetch, any fetchOptions, or a multipart body', () => {
    expect(defaultTransport).toBe(nodeTransport);
    expect(pickTransport({ defaultFetch: true }, undefined, '{}')).toBe(nodeTransport);
    expect(pickTransport({ defaultFetch: true }, undefined, undefined)).toBe(nodeTransport);
    expect(pickTransport({ defaultFetch: false }, undefined, '{}')).toBe(fetchTransport);
    expect(pickTransport({ defaultFetch: true }, { dispatcher: {} }, '{}')).toBe(fetchTransport);
    expect(pickTransport({ defaultFetch: true }, undefined, new FormData())).toBe(fetchTransport);
  });

  it('sends over node:http by default, and over fetch with a fetch or fetchOptions (client or call)', async () => {
    const emulator = await emulate();
    await clientFor().chat.completions.create(hello);
    await clientFor().chat.completions.stream(hello).finalCompletion();
    await clientFor({ fetch: globalThis.fetch }).chat.completions.create(hello);
    await clientFor({ fetchOptions: { referrerPolicy: 'no-referrer' } }).chat.completions.create(hello);
    await clientFor().chat.completions.create(hello, { fetchOptions: { referrerPolicy: 'no-referrer' } });
    const fetched = emulator.requests.map((request) => request.headers['sec-fetch-mode'] !== undefined);
    expect(fetched).toEqual([false, false, true, true, true]);
  });
});

describe('the node transport', () => {
  it('reads an answer the server compressed although plumb did not ask for it', async () => {
    const completion = {
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'deepseek-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'unzipped' }, finish_reason: 'stop' }],
    };
    const { url } = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify(completion)));
    });
    const data = await new DeepSeek({
      apiKey: 'sk-test',
      baseURL: url,
      maxRetries: 0,
    }).chat.completions.create(hello);
    expect(data.choices[0]!.message.content).toBe('unzipped');
  });

  it('reads headers as Node does, whatever their case: repeats joined, the first content-type kept', async () => {
    const { url } = await serve((request, response) => {
      request.resume();
      response.writeHead(200, [
        ['Content-Type', 'text/event-stream'],
        ['content-type', 'application/json'],
        ['X-DS-Trace-Id', 'abc'],
        ['x-ds-trace-id', 'def'],
      ]);
      response.end(
        'data: {"id":"x","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\n',
      );
    });
    const stream = new DeepSeek({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }).chat.completions.stream(
      hello,
    );
    const completion = await stream.finalCompletion(); // read as a stream: the first content-type counted
    expect(completion.choices[0]!.message.content).toBe('hi');
    expect(stream.requestId).toBe('abc, def');
    expect(stream.headers?.get('x-ds-trace-id')).toBe('abc, def');
  });

  it('a connection refused is an APIConnectionError with the system error, and no key', async () => {
    const { url, server } = await serve(() => {});
    server.close();
    const key = 'sk-secret-node-transport-0123456789';
    const error = await failureOf(
      new DeepSeek({ apiKey: key, baseURL: url, maxRetries: 0 }).chat.completions.create(hello),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(key);
  });

  it('a connection cut in the middle of a non-streamed body is an APIConnectionError', async () => {
    const { url } = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"id":"x",');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await failureOf(
      new DeepSeek({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }).chat.completions.create(hello),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/while reading the answer/);
  });

  it('reuses its keep-alive connection for requests read to their end', async () => {
    const completion = {
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'deepseek-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'again' }, finish_reason: 'stop' }],
    };
    const { url, server } = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`\n\n${JSON.stringify(completion)}`);
    });
    let connections = 0;
    server.on('connection', () => connections++);
    const client = new DeepSeek({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 });
    for (let i = 0; i < 3; i++) await client.chat.completions.create(hello);
    expect(connections).toBe(1);
  });
});
