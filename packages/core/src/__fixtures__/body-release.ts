/**
 * Run by body-release.test.ts in a child `node --expose-gc`: is the request body string of a
 * stream still reachable (a) before the stream is read and (b) after its first chunk arrived?
 * A plain `node:http` server (so no emulator holds a copy of the text) answers with one chunk and
 * then holds the stream open. After a full GC a heap snapshot is searched for the body's text.
 * (V8 keeps the first 1024 characters of a string in a snapshot: the body is the string that
 * starts with the request JSON up to the marker.) Prints one JSON line: { before, started }.
 * PLUMB_TEST_TRANSPORT=fetch sends over the fetch transport (Node's own fetch passed as `fetch`);
 * by default over Node's default, node:http.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSnapshot } from 'node:v8';
import { DeepSeek } from '../index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const marker = `BODYMARK${Math.random().toString(36).slice(2)}`;
const content = marker + 'x'.repeat(100_000);
// The body text as sent (flattened), or the message's piece of it (the body is built as a rope of
// pieces; the message object alone holds only its content, which starts with the marker).
const bodyStarts = [
  `{"model":"deepseek-flash","messages":[{"role":"user","content":"${marker}`,
  `{"role":"user","content":"${marker}`,
];

const chunk = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'deepseek-flash',
  choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }],
};
const held = new Set<import('node:http').ServerResponse>();
let arrived: () => void = () => {};
const requestArrived = new Promise<void>((resolve) => {
  arrived = resolve;
});
let answer: () => void = () => {};
const answerNow = new Promise<void>((resolve) => {
  answer = resolve;
});
const server = createServer((request, response) => {
  request.resume(); // read and drop the body (Buffers, never a string)
  request.on('end', () => {
    arrived();
    // The answer waits until the "before" snapshot was taken: the request is sent, not answered.
    void answerNow.then(() => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      held.add(response); // the stream stays open
    });
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

async function bodyReachable(): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const parts: Buffer[] = [];
  for await (const part of getHeapSnapshot()) parts.push(part as Buffer);
  const snapshot = JSON.parse(Buffer.concat(parts).toString('utf8')) as { strings: string[] };
  return snapshot.strings.some(
    (text) => text.length >= 1_000 && bodyStarts.some((start) => text.startsWith(start)),
  );
}

const client = new DeepSeek({
  apiKey: 'sk-test',
  baseURL: `http://127.0.0.1:${port}`,
  maxRetries: 2,
  ...(process.env.PLUMB_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {}),
});
const stream = client.chat.completions.stream({
  model: 'deepseek-flash',
  messages: [{ role: 'user', content }],
  thinking: { type: 'disabled' },
});
const iterator = stream[Symbol.asyncIterator]();
// Sent on the first read; once the server has it (not answered yet) a retry could still follow.
const first = iterator.next();
await requestArrived;
const before = await bodyReachable();
answer();
await first;
const started = await bodyReachable();
console.log(JSON.stringify({ before, started }));
stream.abort();
for (const response of held) response.destroy();
server.close();
