import type { Emulator, Turn } from '@plumb/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  APITimeoutError,
  APIUserAbortError,
  type ChatCompletionChunk,
  type ChatCompletionStreamParams,
  DeepSeekError,
  StreamInterruptedError,
} from '../index.js';
import { clientFor, emulate, failureOf, hello, TRANSPORTS, useTransport } from '../test-helpers.js';

let emulator: Emulator;

const tools: ChatCompletionStreamParams['tools'] = [
  {
    type: 'function',
    function: {
      name: 'weather',
      parameters: { type: 'object', properties: { location: { type: 'string' } } },
    },
  },
  { type: 'function', function: { name: 'time' } },
];
const long: Turn = {
  content: 'word '.repeat(40).trim(),
  reasoning: 'think '.repeat(20).trim(),
  deltaSize: 5,
};

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('ChatCompletionStream', () => {
    it('yields wire chunks and assembles the full reasoning, content and usage', async () => {
      emulator = await emulate({ script: [long] });
      const stream = clientFor().chat.completions.stream(hello);
      const chunks = await collect(stream);
      expect(chunks.length).toBeGreaterThan(10);
      expect(chunks.filter((chunk) => chunk.choices[0]?.delta.reasoning_content).length).toBeGreaterThan(3);
      const completion = await stream.finalCompletion();
      expect(completion.choices[0]!.message).toEqual({
        role: 'assistant',
        content: long.content,
        reasoning_content: long.reasoning,
      });
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
      expect(completion.id).toBe(chunks[0]!.id);
      expect(stream.chunks).toBe(chunks.length);
      expect(stream.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.parse(emulator.requests[0]!.rawBody)).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(emulator.requests[0]!.headers.accept).toBe('text/event-stream');
    });

    it('assembles parallel tool calls with their exact argument strings, even invalid JSON', async () => {
      emulator = await emulate({
        script: [
          {
            reasoning: 'Two tools.',
            toolCalls: [
              { name: 'weather', arguments: { location: 'San Francisco, CA' } },
              { name: 'time', arguments: '{"tz": "PST"' },
            ],
          },
        ],
      });
      const completion = await clientFor()
        .chat.completions.stream({ ...hello, tools })
        .finalCompletion();
      const message = completion.choices[0]!.message;
      expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
      expect(message.reasoning_content).toBe('Two tools.');
      expect(
        message.tool_calls?.map((call) => [call.index, call.function.name, call.function.arguments]),
      ).toEqual([
        [0, 'weather', '{"location": "San Francisco, CA"}'],
        [1, 'time', '{"tz": "PST"'],
      ]);
      expect(message.tool_calls?.[0]?.id).toMatch(/^call_00_[A-Za-z0-9]{24}$/);
      expect(message.tool_calls?.[1]?.id).toMatch(/^call_01_/);
    });

    it('finalCompletion() before iterating drains the stream; iterating afterwards throws', async () => {
      emulator = await emulate({ script: [long] });
      const stream = clientFor().chat.completions.stream(hello);
      expect((await stream.finalCompletion()).choices[0]!.message.content).toBe(long.content);
      expect(() => stream[Symbol.asyncIterator]()).toThrow(DeepSeekError);
      expect(() => stream[Symbol.asyncIterator]()).toThrow(/already consumed/);
    });

    it('finalCompletion() during iteration drains the rest and ends the loop', async () => {
      emulator = await emulate({ script: [long] });
      const stream = clientFor().chat.completions.stream(hello);
      let seen = 0;
      let content: string | null | undefined;
      for await (const _chunk of stream) {
        seen++;
        if (seen === 2) content = (await stream.finalCompletion()).choices[0]!.message.content;
      }
      expect(content).toBe(long.content);
      expect(seen).toBe(2);
    });

    it('can be iterated only once', async () => {
      emulator = await emulate({ script: [{ content: 'once' }] });
      const stream = clientFor().chat.completions.stream(hello);
      await collect(stream);
      await expect(collect(stream)).rejects.toThrow(/already consumed/);
      expect((await stream.finalCompletion()).choices[0]!.message.content).toBe('once');
    });

    it('breaking out of for await aborts the request (the server sees the connection close)', async () => {
      // With a concurrency cap of 1, a new request only gets through once the stream's connection closed.
      emulator = await emulate({
        concurrencyLimit: 1,
        script: () => ({ content: 'slow '.repeat(200), deltaSize: 5, fault: { chunkDelayMs: 20 } }),
      });
      const client = clientFor();
      const stream = client.chat.completions.stream(hello);
      for await (const _chunk of stream) break;
      await vi.waitFor(
        () => client.chat.completions.create({ model: 'deepseek-flash', messages: hello.messages }),
        {
          timeout: 2_000,
          interval: 20,
        },
      );
      await expect(stream.finalCompletion()).rejects.toBeInstanceOf(APIUserAbortError);
    });

    it('abort() stops a running stream with APIUserAbortError', async () => {
      emulator = await emulate({ script: [{ ...long, fault: { chunkDelayMs: 10 } }] });
      const stream = clientFor().chat.completions.stream(hello);
      const error = await failureOf(
        (async () => {
          for await (const _chunk of stream) stream.abort();
        })(),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      await expect(stream.finalCompletion()).rejects.toBeInstanceOf(APIUserAbortError);
    });

    it('the caller signal aborts a running stream', async () => {
      emulator = await emulate({ script: [{ ...long, fault: { chunkDelayMs: 10 } }] });
      const controller = new AbortController();
      const stream = clientFor().chat.completions.stream(hello, { signal: controller.signal });
      let seen = 0;
      const error = await failureOf(
        (async () => {
          for await (const _chunk of stream) if (++seen === 3) controller.abort();
        })(),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect(seen).toBe(3);
    });

    it('a stream cut without finish_reason raises StreamInterruptedError with what arrived, not retried', async () => {
      emulator = await emulate({
        script: [
          {
            content: 'alpha beta gamma delta epsilon',
            reasoning: 'r',
            deltaSize: 6,
            fault: { cutAfterChunks: 4 },
          },
        ],
      });
      const stream = clientFor({ maxRetries: 3 }).chat.completions.stream(hello);
      const error = (await failureOf(collect(stream))) as StreamInterruptedError;
      expect(error).toBeInstanceOf(StreamInterruptedError);
      expect(error.reason).toBe('cut');
      expect(error.chunks).toBe(4);
      const partial = await failureOf(stream.finalCompletion());
      expect(partial).toBe(error);
      const snapshot = error.partial as {
        choices: Array<{ finish_reason: unknown; message: { content: string; reasoning_content: string } }>;
      };
      expect(snapshot.choices[0]!.finish_reason).toBeNull();
      expect(snapshot.choices[0]!.message.reasoning_content).toBe('r');
      expect('alpha beta gamma delta epsilon'.startsWith(snapshot.choices[0]!.message.content)).toBe(true);
      expect(snapshot.choices[0]!.message.content.length).toBeGreaterThan(0);
      expect(error.message).toMatch(/ended without a finish_reason after 4 chunks.*error\.partial/);
      expect(emulator.requests).toHaveLength(1);
    });

    it('a stream that stalls past idleTimeout is interrupted (cause: APITimeoutError), not retried', async () => {
      emulator = await emulate({ script: [{ ...long, fault: { hangAfterChunks: 3 } }] });
      const stream = clientFor({ maxRetries: 2, idleTimeout: 80 }).chat.completions.stream(hello);
      const error = (await failureOf(stream.finalCompletion())) as StreamInterruptedError;
      expect(error).toBeInstanceOf(StreamInterruptedError);
      expect(error.reason).toBe('idle-timeout');
      expect(error.chunks).toBe(3);
      expect(error.cause).toBeInstanceOf(APITimeoutError);
      expect(error.cause).toMatchObject({ kind: 'idle', timeoutMs: 80 });
      expect(emulator.requests).toHaveLength(1);
    });

    it('a per-request idleTimeout overrides the client one', async () => {
      emulator = await emulate({ script: [{ ...long, fault: { hangAfterChunks: 2 } }] });
      const stream = clientFor({ idleTimeout: 60_000 }).chat.completions.stream(hello, { idleTimeout: 50 });
      await expect(stream.finalCompletion()).rejects.toMatchObject({ reason: 'idle-timeout', chunks: 2 });
    });

    it('a malformed chunk interrupts the stream', async () => {
      emulator = await emulate({ script: [{ ...long, fault: { malformedChunkAt: 3 } }] });
      const error = (await failureOf(
        clientFor().chat.completions.stream(hello).finalCompletion(),
      )) as StreamInterruptedError;
      expect(error).toBeInstanceOf(StreamInterruptedError);
      expect(error.reason).toBe('malformed-chunk');
      expect(error.chunks).toBe(3);
    });

    it("keeps DeepSeek's partial finish reasons as completed answers", async () => {
      emulator = await emulate({
        script: [{ content: 'part', finishReason: 'insufficient_system_resource' }],
      });
      const completion = await clientFor().chat.completions.stream(hello).finalCompletion();
      expect(completion.choices[0]!.finish_reason).toBe('insufficient_system_resource');
    });

    it('offers a text-only view and a ReadableStream of JSON lines', async () => {
      emulator = await emulate({
        script: [{ content: 'one two three', reasoning: 'hidden' }, { content: 'as bytes' }],
      });
      const client = clientFor();
      const pieces: string[] = [];
      for await (const text of client.chat.completions.stream(hello).textStream()) pieces.push(text);
      expect(pieces.join('')).toBe('one two three');
      const body = await new Response(client.chat.completions.stream(hello).toReadableStream()).text();
      const chunks = body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ChatCompletionChunk);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('as bytes');
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    });

    it('reports timing: first chunk and total', async () => {
      emulator = await emulate({ script: [{ content: 'timed' }] });
      const stream = clientFor().chat.completions.stream(hello);
      await stream.finalCompletion();
      expect(stream.timing).toMatchObject({ attempts: 1, queueMs: 0 });
      expect(stream.timing.firstChunkMs).toBeGreaterThan(0);
      expect(stream.timing.totalMs).toBeGreaterThanOrEqual(stream.timing.firstChunkMs);
    });
  });
});
