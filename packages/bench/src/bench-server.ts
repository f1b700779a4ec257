/**
 * The separate process that serves the bench: the @plumb/testing emulator (script: bench-script.ts)
 * plus a replay server for the stream scenario. Started by emulator-process.ts with an IPC channel;
 * not meant to be run by hand.
 *
 * The stream answer is rendered ONCE by the emulator itself (a real streamed request to it at
 * start-up) and then served from memory in 64 KiB writes, so the server is never the bottleneck
 * of a client's parse.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { type RecordedRequest, startEmulator, type Turn } from '@plumb/testing';
import { benchScript, STREAM_PROMPT } from './bench-script.js';
import type { ServerMessage, ServerReply } from './emulator-process.js';

const API_KEY = 'sk-bench';
const WRITE_BYTES = 64 * 1024;
const BASE_TEXT = 'Streaming answers arrive in small deltas, 流式输出 token by token; the parser keeps up. ';

/** The stream scenario's answer: mixed ASCII and CJK text of about `bytes` UTF-8 bytes. */
function streamContent(bytes: number): string {
  const baseBytes = Buffer.byteLength(BASE_TEXT);
  return BASE_TEXT.repeat(Math.max(1, Math.ceil(bytes / baseBytes)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'stream-bytes': { type: 'string' }, 'delta-size': { type: 'string' } },
  });
  const content = streamContent(Number(values['stream-bytes'] ?? 2_000_000));
  const deltaSize = Number(values['delta-size'] ?? 8);
  const streamTurn: Turn = { content, deltaSize };
  const emulator = await startEmulator({
    apiKey: API_KEY,
    seed: 1,
    promptCache: false,
    script: (request: RecordedRequest) =>
      firstUserText(request) === STREAM_PROMPT ? streamTurn : benchScript(request),
  });
  const rendered = await renderStream(emulator.url);
  emulator.reset();
  const replay = await serveReplay(rendered);

  const send = (message: ServerReply) => process.send?.(message);
  process.on('message', (message: ServerMessage) => {
    if (message.type === 'reset') {
      const failures = emulator.failures.map((failure) => failure.message);
      const requests = emulator.requests.length;
      emulator.reset();
      send({ type: 'reset', id: message.id, requests, failures });
    }
  });
  const close = () => {
    replay.close();
    replay.closeAllConnections();
    void emulator.close().then(() => process.exit(0));
  };
  process.on('disconnect', close);
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  send({
    type: 'ready',
    url: emulator.url,
    streamURL: `http://127.0.0.1:${(replay.address() as AddressInfo).port}`,
    apiKey: API_KEY,
    streamChars: content.length,
    streamBytes: Buffer.byteLength(content),
    streamWireBytes: rendered.length,
  });
}

function firstUserText(request: RecordedRequest): string | undefined {
  const messages: Array<{ role?: unknown; content?: unknown }> = request.body?.messages ?? [];
  const content = messages.find((message) => message.role === 'user')?.content;
  return typeof content === 'string' ? content : undefined;
}

/** One real streamed request to the emulator; its raw SSE bytes. */
async function renderStream(url: string): Promise<Buffer> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: STREAM_PROMPT }],
      stream: true,
      thinking: { type: 'disabled' },
    }),
  });
  if (!response.ok)
    throw new Error(`pre-rendering the stream failed: ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Serves `body` as the answer to any streamed chat completion, in 64 KiB writes like the emulator. */
async function serveReplay(body: Buffer) {
  const server = createServer((request, response) => {
    readAll(request).then(
      (raw) => answer(raw, request, response, body),
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function answer(raw: string, request: IncomingMessage, response: ServerResponse, body: Buffer) {
  if (
    request.method !== 'POST' ||
    !request.url?.endsWith('/chat/completions') ||
    !raw.includes('"stream":true')
  ) {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end('{"error":{"message":"the bench replay server only answers streamed chat completions"}}');
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (let start = 0; start < body.length; start += WRITE_BYTES) {
    if (response.destroyed) return;
    if (!response.write(body.subarray(start, start + WRITE_BYTES))) await drained(response);
  }
  response.end();
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-server: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
});
