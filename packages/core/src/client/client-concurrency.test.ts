import type { Emulator, Turn } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import {
  APITimeoutError,
  APIUserAbortError,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionStreamParams,
  ConfigError,
  DeepSeek,
  InternalServerError,
  RateLimitError,
  type RequestTiming,
  StreamInterruptedError,
} from '../index.js';
import { clientFor, emulate, failureOf, TRANSPORTS, useTransport } from '../test-helpers.js';

let emulator: Emulator;

function ask(content: string): ChatCompletionCreateParamsNonStreaming & ChatCompletionStreamParams {
  return { model: 'deepseek-flash', messages: [{ role: 'user', content }] };
}

/** The user message each request the emulator received carried, in arrival order. */
function arrivals(): string[] {
  return emulator.requests.map((request) => request.body?.messages?.[0]?.content);
}

/** Polls (bounded) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const streamed: Turn = { content: 'one two three four five', fault: { chunkDelayMs: 3 } };

/** Answers `turn` to every request but the probes of `expectFree`, which get a plain answer. */
function exceptProbes(turn: Turn) {
  return (request: { body?: { messages?: Array<{ content?: unknown }> } }): Turn =>
    request.body?.messages?.[0]?.content === 'probe' ? { content: 'ok' } : turn;
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('maxConcurrency option', () => {
    it('is validated: a positive integer or undefined, with a ConfigError naming the field', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '4']) {
        let error: unknown;
        try {
          new DeepSeek({ apiKey: 'sk-test', maxConcurrency: bad as number });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).field).toBe('maxConcurrency');
        expect((error as Error).message).toContain('positive integer');
      }
      expect(new DeepSeek({ apiKey: 'sk-test', maxConcurrency: undefined }).maxConcurrency).toBeUndefined();
      expect(new DeepSeek({ apiKey: 'sk-test', maxConcurrency: 500 }).maxConcurrency).toBe(500);
    });

    it('counts nothing when unset: inFlight and queued stay 0', async () => {
      emulator = await emulate();
      const client = clientFor();
      const calls = [client.chat.completions.create(ask('a')), client.chat.completions.create(ask('b'))];
      expect(client.inFlight).toBe(0);
      expect(client.queued).toBe(0);
      await Promise.all(calls);
      expect(client.maxConcurrency).toBeUndefined();
    });
  });

  describe('staying under DeepSeek’s concurrency cap', () => {
    const LIMIT = 4;
    const PARALLEL = 20;

    function fire(client: DeepSeek): Promise<unknown>[] {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < PARALLEL; i++) {
        calls.push(
          i % 2 === 0
            ? client.chat.completions.create(ask(`plain ${i}`))
            : client.chat.completions.stream(ask(`streamed ${i}`)).finalCompletion(),
        );
      }
      return calls;
    }

    it('without maxConcurrency, 20 parallel requests over a cap of 4 get 429s', async () => {
      // Every admitted request waits until all 20 arrived, so the emulator sees them overlap.
      emulator = await emulate({
        concurrencyLimit: LIMIT,
        script: async () => {
          await until(() => emulator.requests.length >= PARALLEL, 'all requests to arrive');
          return streamed;
        },
      });
      const results = await Promise.allSettled(fire(clientFor()));
      const rejected = results.filter((result) => result.status === 'rejected');
      expect(rejected.length).toBe(PARALLEL - LIMIT);
      for (const result of rejected) expect(result.reason).toBeInstanceOf(RateLimitError);
      expect(emulator.requests.filter((request) => request.status === 429)).toHaveLength(PARALLEL - LIMIT);
    });

    it('with maxConcurrency equal to the cap, 20 parallel requests and streams all succeed with no 429', async () => {
      emulator = await emulate({ concurrencyLimit: LIMIT, script: () => streamed });
      const client = clientFor({ maxConcurrency: LIMIT });
      const calls = fire(client);
      // Slots are taken synchronously: 4 sent, 16 waiting.
      expect(client.inFlight).toBe(LIMIT);
      expect(client.queued).toBe(PARALLEL - LIMIT);
      const results = await Promise.allSettled(calls);
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(emulator.requests).toHaveLength(PARALLEL);
      expect(emulator.requests.map((request) => request.status)).toEqual(Array(PARALLEL).fill(200));
      expect(client.inFlight).toBe(0);
      expect(client.queued).toBe(0);
    });
  });

  describe('slots', () => {
    it('are granted in FIFO order', async () => {
      emulator = await emulate();
      const client = clientFor({ maxConcurrency: 1 });
      const names = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
      const calls = names.map((name, i) =>
        i % 2 === 0
          ? client.chat.completions.create(ask(name))
          : client.chat.completions.stream(ask(name)).finalCompletion(),
      );
      expect(client.queued).toBe(names.length - 1);
      await Promise.all(calls);
      expect(arrivals()).toEqual(names);
    });

    it('are held by a non-streamed call until its body was read (keep-alive padding included)', async () => {
      let firstDone = false;
      let secondSentEarly: boolean | undefined;
      emulator = await emulate({
        script: (request) => {
          if (request.body?.messages?.[0]?.content === 'second') {
            secondSentEarly = !firstDone;
            return { content: 'ok' };
          }
          return { content: 'padded', fault: { keepAlive: { ms: 60, intervalMs: 10 } } };
        },
      });
      const client = clientFor({ maxConcurrency: 1 });
      const first = client.chat.completions.create(ask('first')).then((completion) => {
        firstDone = true;
        return completion;
      });
      const second = client.chat.completions.create(ask('second')).withResponse();
      expect(client.queued).toBe(1);
      await first;
      const { timing } = await second;
      expect(secondSentEarly).toBe(false);
      expect(timing.slotWaitMs).toBeGreaterThan(0);
      expect((await first).choices[0]!.message.content).toBe('padded');
    });

    it('are held by a stream until it ended, and the wait shows in timing.slotWaitMs', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('stream'));
      let queuedCall: Promise<unknown> | undefined;
      let chunks = 0;
      for await (const _ of stream) {
        chunks++;
        queuedCall ??= client.chat.completions.create(ask('after')).withResponse();
        expect(client.queued).toBe(1);
        expect(emulator.requests).toHaveLength(1);
      }
      expect(chunks).toBeGreaterThan(2);
      expect(stream.timing.slotWaitMs).toBe(0);
      const { timing } = (await queuedCall) as { timing: { slotWaitMs: number } };
      expect(timing.slotWaitMs).toBeGreaterThan(0);
      expect(arrivals()).toEqual(['stream', 'after']);
    });

    for (const kind of ['plain', 'streamed'] as const) {
      it(`are given back during a retry’s backoff, so a 429 lets the next request go first (${kind})`, async () => {
        // A zero wait: the retry is ready at once, but "second" holds the slot by then.
        emulator = await emulate({
          faults: [{ status: 429, times: 1, headers: { 'retry-after-ms': '0' } }],
        });
        const client = clientFor({ maxConcurrency: 1, maxRetries: 1 });
        // Both variants resolve with the first request's timing; each is sent before "second".
        const first: Promise<RequestTiming> =
          kind === 'plain'
            ? client.chat.completions
                .create(ask('first'))
                .withResponse()
                .then((result) => result.timing)
            : (async () => {
                const stream = client.chat.completions.stream(ask('first'));
                await stream.finalCompletion();
                return stream.timing;
              })();
        const second = client.chat.completions.create(ask('second'));
        const [timing] = await Promise.all([first, second]);
        expect(timing.attempts).toBe(2);
        expect(arrivals()).toEqual(['first', 'second', 'first']);
        // With one slot, "second" could only be sent between the two attempts of "first": the
        // slot was given back during the backoff. (Whether the retry then waited for "second" to
        // finish depends on timing, so slotWaitMs is not asserted here.)
        expect(emulator.requests.map((request) => request.status)).toEqual([429, 200, 200]);
        expect(client.inFlight).toBe(0);
      });
    }
  });

  describe('a request waiting for a slot', () => {
    it('counts the wait toward its timeout: an APITimeoutError of kind slot, not retried, nothing sent', async () => {
      emulator = await emulate({ script: exceptProbes({ fault: { hang: true } }) });
      const client = clientFor({ maxConcurrency: 1, maxRetries: 2 });
      const holder = client.chat.completions.stream(ask('holder'));
      const holderDone = failureOf(holder.finalCompletion());
      await until(() => emulator.requests.length === 1, 'the holder to be sent');
      const plain = await failureOf(client.chat.completions.create(ask('waits'), { timeout: 50 }));
      const streamed = await failureOf(
        client.chat.completions.stream(ask('waits'), { timeout: 50 }).finalCompletion(),
      );
      for (const error of [plain, streamed]) {
        expect(error).toBeInstanceOf(APITimeoutError);
        expect(error).toMatchObject({ kind: 'slot', timeoutMs: 50 });
        expect((error as Error).message).toMatch(/maxConcurrency.*nothing was sent/);
      }
      expect(client.queued).toBe(0);
      holder.abort();
      expect(await holderDone).toBeInstanceOf(APIUserAbortError);
      expect(arrivals()).toEqual(['holder']);
    });

    it('spends on the attempt only what the slot wait left of its timeout', async () => {
      emulator = await emulate({
        script: (request) =>
          request.body?.messages?.[0]?.content === 'first'
            ? { content: 'slow', fault: { keepAlive: { ms: 150, intervalMs: 10 } } }
            : { content: 'late', fault: { keepAlive: { ms: 150, intervalMs: 10 } } },
      });
      const client = clientFor({ maxConcurrency: 1 });
      const first = client.chat.completions.create(ask('first'));
      // 150 ms waiting for the slot + 150 ms of padding > 250 ms: only the shared budget times out.
      const second = await failureOf(client.chat.completions.create(ask('second'), { timeout: 250 }));
      await first;
      // Without the shared budget the second request would succeed (its 150 ms of padding fit in
      // 250 ms). Which clock runs out depends on how long the first took under load: 'attempt' when
      // the slot came before 250 ms, 'slot' when it did not.
      expect(second).toBeInstanceOf(APITimeoutError);
      expect(['attempt', 'slot']).toContain((second as APITimeoutError).kind);
    });

    it('leaves the queue when its signal aborts, rejecting with APIUserAbortError; nothing is sent', async () => {
      emulator = await emulate({ script: exceptProbes({ fault: { hang: true } }) });
      const client = clientFor({ maxConcurrency: 1 });
      const holder = client.chat.completions.stream(ask('holder'));
      const holderDone = failureOf(holder.finalCompletion());
      await until(() => emulator.requests.length === 1, 'the holder to be sent');
      const controller = new AbortController();
      const waiting = client.chat.completions.create(ask('aborted'), { signal: controller.signal });
      const waitingStream = client.chat.completions.stream(ask('aborted stream'));
      const waitingStreamDone = failureOf(waitingStream.finalCompletion());
      expect(client.queued).toBe(2);
      controller.abort();
      waitingStream.abort();
      const error = await failureOf(waiting);
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect((error as Error).message).toContain('maxConcurrency');
      expect(await waitingStreamDone).toBeInstanceOf(APIUserAbortError);
      expect(client.queued).toBe(0);
      expect(client.inFlight).toBe(1);
      holder.abort();
      expect(client.inFlight).toBe(0);
      expect(await holderDone).toBeInstanceOf(APIUserAbortError);
      expect((await client.chat.completions.create(ask('probe'))).choices[0]!.message.content).toBe('ok');
      expect(arrivals()).toEqual(['holder', 'probe']);
    });
  });

  describe('every way a request ends gives its slot back exactly once', () => {
    /** After each path: nothing held, nothing waiting, and the single slot serves the next call. */
    async function expectFree(client: DeepSeek): Promise<void> {
      expect(client.inFlight).toBe(0);
      expect(client.queued).toBe(0);
      const calls = [
        client.chat.completions.create(ask('probe')),
        client.chat.completions.create(ask('probe')),
      ];
      // A double release would have left the count at -1, letting both through at once.
      expect(client.inFlight).toBe(1);
      expect(client.queued).toBe(1);
      await Promise.all(calls);
      expect(client.inFlight).toBe(0);
    }

    it('a stream read to its end', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      for await (const _ of client.chat.completions.stream(ask('s'))) expect(client.inFlight).toBe(1);
      await expectFree(client);
    });

    it('breaking out of the loop', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      for await (const _ of client.chat.completions.stream(ask('s'))) break;
      await expectFree(client);
    });

    it('breaking out of textStream()', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      for await (const _ of client.chat.completions.stream(ask('s')).textStream()) break;
      await expectFree(client);
    });

    it('stream.abort() while iterating', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('s'));
      const error = await failureOf(
        (async () => {
          for await (const _ of stream) stream.abort();
        })(),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      await expectFree(client);
    });

    it('the caller’s signal aborting a running stream', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const controller = new AbortController();
      const stream = client.chat.completions.stream(ask('s'), { signal: controller.signal });
      const error = await failureOf(
        (async () => {
          for await (const _ of stream) controller.abort();
        })(),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      await expectFree(client);
    });

    it('a stream that is cut before its finish_reason', async () => {
      emulator = await emulate({
        script: exceptProbes({ content: 'a b c d e f', fault: { cutAfterChunks: 2 } }),
      });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('s'));
      expect(await failureOf(stream.finalCompletion())).toBeInstanceOf(StreamInterruptedError);
      await expectFree(client);
    });

    it('a stream answered with an error status', async () => {
      emulator = await emulate({ faults: [{ status: 500, times: 1 }] });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('s'));
      expect(await failureOf(stream.finalCompletion())).toBeInstanceOf(InternalServerError);
      await expectFree(client);
    });

    it('a non-streamed call answered with an error status, after its retries', async () => {
      emulator = await emulate({
        faults: [{ status: 429, times: 2, headers: { 'retry-after-ms': '1' } }],
      });
      const client = clientFor({ maxConcurrency: 1, maxRetries: 1 });
      expect(await failureOf(client.chat.completions.create(ask('s')))).toBeInstanceOf(RateLimitError);
      await expectFree(client);
    });

    it('a stream never iterated whose finalCompletion() is awaited', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const completion = await client.chat.completions.stream(ask('s')).finalCompletion();
      expect(completion.choices[0]!.message.content).toBe('one two three four five');
      await expectFree(client);
    });

    it('a stream never iterated, whose finalCompletion() waits, aborted once it opened', async () => {
      emulator = await emulate({ script: exceptProbes({ fault: { hang: true } }) });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('s'));
      const done = failureOf(stream.finalCompletion());
      await until(() => emulator.requests.length === 1, 'the stream to be sent');
      expect(client.inFlight).toBe(1);
      stream.abort();
      expect(client.inFlight).toBe(0);
      expect(await done).toBeInstanceOf(APIUserAbortError);
      await expectFree(client);
    });

    it('a stream created and dropped without being read: it sent nothing and never held a slot', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      client.chat.completions.stream(ask('dropped'));
      client.completions.stream({ model: 'deepseek-flash', prompt: 'dropped' });
      expect(client.inFlight).toBe(0);
      await expectFree(client);
      expect(arrivals()).toEqual(['probe', 'probe']);
    });

    it('a stream aborted before it was read sends nothing and rejects with APIUserAbortError', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const stream = client.chat.completions.stream(ask('s'));
      stream.abort();
      expect(await failureOf(stream.finalCompletion())).toBeInstanceOf(APIUserAbortError);
      await expectFree(client);
      expect(emulator.requests).toHaveLength(2);
    });

    it('a FIM stream and toReadableStream() cancelled by its reader', async () => {
      emulator = await emulate({ script: exceptProbes(streamed) });
      const client = clientFor({ maxConcurrency: 1 });
      const fim = client.completions.stream({ model: 'deepseek-flash', prompt: 'def f(' });
      for await (const _ of fim) break;
      const reader = client.chat.completions.stream(ask('s')).toReadableStream().getReader();
      await reader.read();
      await reader.cancel();
      await expectFree(client);
    });
  });

  describe('sharing one limit', () => {
    it('withOptions keeps the limit and shares its slots unless maxConcurrency, apiKey or baseURL change', async () => {
      emulator = await emulate();
      const client = clientFor({ maxConcurrency: 2 });
      const slower = client.withOptions({ timeout: 60_000 });
      const other = client.withOptions({ maxConcurrency: 3 });
      const otherKey = client.withOptions({ apiKey: 'sk-other' });
      expect(slower.maxConcurrency).toBe(2);
      expect(otherKey.maxConcurrency).toBe(2);
      const calls = [
        client.chat.completions.create(ask('a')),
        slower.chat.completions.create(ask('b')),
        slower.chat.completions.create(ask('c')),
        other.chat.completions.create(ask('d')),
      ];
      expect(client.inFlight).toBe(2);
      expect(client.queued).toBe(1);
      expect(slower.queued).toBe(1);
      expect(other.inFlight).toBe(1);
      expect(otherKey.inFlight).toBe(0);
      await Promise.all(calls);
      expect(client.inFlight + other.inFlight).toBe(0);
    });
  });
});
