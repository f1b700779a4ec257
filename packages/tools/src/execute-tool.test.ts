import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ToolAbortedError, ToolExecutionError, ToolInputError, ToolTimeoutError } from './errors.js';
import { tool } from './tool.js';
import type { ToolContext } from './types.js';

const params = z.object({ n: z.number() });
const make = (execute: (args: { n: number }, context: ToolContext) => unknown, extra: object = {}) =>
  tool({ name: 'probe', description: 'Probe', parameters: params, execute, ...extra });

/** Resolves when the signal aborts; never settles otherwise. */
const untilAborted = (signal: AbortSignal) =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );

describe('run: results become tool message content', () => {
  it.each([
    ['a string, as it is', 'sunny, 21 °C', 'sunny, 21 °C'],
    ['an object, as JSON', { city: 'Paris', celsius: 21 }, '{"city":"Paris","celsius":21}'],
    ['an array, as JSON', [1, 'a'], '[1,"a"]'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined, as a short notice', undefined, '(no output)'],
  ])('serializes %s', async (_label, value, content) => {
    const outcome = await make(async () => value).run({ n: 1 }, { callId: 'c1' });
    expect(outcome).toEqual({ ok: true, content, value });
  });

  it('passes the call id, tool name, run data and a live signal to execute', async () => {
    let seen: ToolContext | undefined;
    const probe = make((_args, context) => {
      seen = context;
      return 'ok';
    });
    await probe.run({ n: 1 }, { callId: 'call_00_abc', data: { user: 'u1' } });
    expect(seen).toMatchObject({ callId: 'call_00_abc', toolName: 'probe', data: { user: 'u1' } });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.signal.aborted).toBe(false);
  });

  it("keeps the call's signal in a copy of the context: a spread copy aborts with the run", async () => {
    const controller = new AbortController();
    let copy: ToolContext | undefined;
    const probe = make((_args, context) => {
      copy = { ...context };
      return untilAborted(copy.signal);
    });
    const pending = probe.run({ n: 1 }, { callId: 'c1', signal: controller.signal });
    await Promise.resolve();
    expect(copy?.signal).toBeInstanceOf(AbortSignal);
    expect(copy?.signal.aborted).toBe(false);
    expect(Object.keys(copy ?? {})).toContain('signal');
    controller.abort(new Error('stop'));
    expect((await pending).ok).toBe(false);
    expect(copy?.signal.aborted).toBe(true);
  });

  it('caps huge results with a visible notice (default 100000 characters)', async () => {
    const outcome = await make(() => 'x'.repeat(250_000)).run({ n: 1 }, { callId: 'c' });
    expect(outcome.ok).toBe(true);
    expect(outcome.content.startsWith('x'.repeat(100_000))).toBe(true);
    expect(outcome.content.slice(100_000)).toBe(
      '\n…[truncated 150000 characters: result exceeded the 100000-character limit]',
    );
  });

  it("takes the cap from the caller, and the tool's own cap over the caller's", async () => {
    const big = { rows: Array.from({ length: 100 }, (_, index) => ({ index })) };
    const fromCaller = await make(() => big).run({ n: 1 }, { callId: 'c', maxResultChars: 20 });
    expect(fromCaller.content).toMatch(
      /^\{"rows":\[\{"index":0\}\n…\[truncated \d+ characters: result exceeded the 20-character limit\]$/,
    );
    const fromTool = await make(() => big, { maxResultChars: 10 }).run(
      { n: 1 },
      { callId: 'c', maxResultChars: 20 },
    );
    expect(fromTool.content).toMatch(
      /^\{"rows":\[\{\n…\[truncated \d+ characters: result exceeded the 10-character limit\]$/,
    );
  });

  it.each([
    [
      'a circular structure',
      () => {
        const value: Record<string, unknown> = {};
        value.self = value;
        return value;
      },
    ],
    ['a BigInt', () => ({ id: 10n })],
    ['a function', () => () => 1],
  ])('turns %s into an error result', async (_label, execute) => {
    const outcome = await make(execute).run({ n: 1 }, { callId: 'c' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ToolExecutionError);
    expect(outcome.error.message).toMatch(/cannot be serialized to JSON/);
    expect(outcome.content).toBe('Error: tool "probe" failed: its result could not be serialized.');
  });
});

describe('run: failures become error results, never crashes', () => {
  it('catches a synchronous throw and keeps the original as cause', async () => {
    const original = new Error('city not found');
    const outcome = await make(() => {
      throw original;
    }).run({ n: 1 }, { callId: 'call_7' });
    expect(outcome).toMatchObject({ ok: false, content: 'Error: tool "probe" failed: city not found' });
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ToolExecutionError);
    expect(outcome.error).toMatchObject({ toolName: 'probe', callId: 'call_7', cause: original });
    expect(outcome.error.message).toBe('Tool "probe" threw: city not found');
  });

  it('catches a rejection, and non-Error values', async () => {
    const rejected = await make(async () => Promise.reject(new TypeError('bad'))).run(
      { n: 1 },
      { callId: 'c' },
    );
    expect(rejected).toMatchObject({ ok: false, content: 'Error: tool "probe" failed: bad' });
    const thrownString = await make(() => {
      throw 'plain string';
    }).run({ n: 1 }, { callId: 'c' });
    expect(thrownString).toMatchObject({ ok: false, content: 'Error: tool "probe" failed: plain string' });
  });
});

describe('run: hostile values from the tool never crash the run', () => {
  it('turns a result whose "then" getter throws into an error result', async () => {
    const hostile = Object.defineProperty({}, 'then', {
      get() {
        throw new Error('then getter');
      },
    });
    const outcome = await make(() => hostile).run({ n: 1 }, { callId: 'c' });
    expect(outcome).toMatchObject({ ok: false, content: 'Error: tool "probe" failed: then getter' });
  });

  it('describes a thrown error whose message getter throws', async () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no message for you');
      },
    });
    // The timeout only bounds the test: a describer that throws would leave the call unsettled.
    const outcome = await make(
      async () => {
        throw hostile;
      },
      { timeoutMs: 1000 },
    ).run({ n: 1 }, { callId: 'c' });
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toMatch(/^Error: tool "probe" failed: /);
    expect(outcome.ok || outcome.error).toBeInstanceOf(ToolExecutionError);
  });
});

describe('run: timeouts and aborts', () => {
  it('times out, aborts the signal with a ToolTimeoutError, and reports it', async () => {
    let signal: AbortSignal | undefined;
    const slow = make(
      (_args, context) => {
        signal = context.signal;
        return untilAborted(context.signal);
      },
      { timeoutMs: 20 },
    );
    const outcome = await slow.run({ n: 1 }, { callId: 'call_t' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ToolTimeoutError);
    expect(outcome.error).toMatchObject({ toolName: 'probe', callId: 'call_t', timeoutMs: 20 });
    expect(outcome.content).toMatch(/^Error: tool "probe" timed out after 20 ms and was cancelled\./);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(outcome.error);
  });

  it("uses the caller's timeout when the tool has none, and the tool's own over the caller's", async () => {
    const waits = make((_args, context) => untilAborted(context.signal));
    const fromCaller = await waits.run({ n: 1 }, { callId: 'c', timeoutMs: 15 });
    expect(fromCaller.ok || fromCaller.error).toMatchObject({ timeoutMs: 15 });
    const own = make((_args, context) => untilAborted(context.signal), { timeoutMs: 10 });
    const fromTool = await own.run({ n: 1 }, { callId: 'c', timeoutMs: 60_000 });
    expect(fromTool.ok || fromTool.error).toMatchObject({ timeoutMs: 10 });
  });

  describe('a tool that ignores its signal', () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    beforeEach(() => {
      unhandled.length = 0;
      process.on('unhandledRejection', onUnhandled);
    });
    afterEach(() => {
      process.off('unhandledRejection', onUnhandled);
    });

    it('still times out, and its late rejection is not an unhandled rejection', async () => {
      let rejectLate: (error: Error) => void = () => {};
      const stubborn = make(() => new Promise((_resolve, reject) => (rejectLate = reject)), {
        timeoutMs: 10,
      });
      const outcome = await stubborn.run({ n: 1 }, { callId: 'c' });
      expect(outcome.ok || outcome.error).toBeInstanceOf(ToolTimeoutError);
      rejectLate(new Error('too late'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(unhandled).toEqual([]);
    });

    it('still times out, and its late result is ignored', async () => {
      let resolveLate: (value: unknown) => void = () => {};
      const stubborn = make(() => new Promise((resolve) => (resolveLate = resolve)), { timeoutMs: 10 });
      const outcome = await stubborn.run({ n: 1 }, { callId: 'c' });
      resolveLate({ late: true });
      expect(outcome.ok || outcome.error).toBeInstanceOf(ToolTimeoutError);
    });
  });

  it('ends the call when the run signal aborts, aborting the tool signal with the same reason', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const waiting = make((_args, context) => {
      signal = context.signal;
      queueMicrotask(() => controller.abort(new Error('user pressed stop')));
      return new Promise(() => {}); // never settles, ignores its signal
    });
    // The caller's timeout only bounds the test; the abort must win long before it.
    const outcome = await waiting.run({ n: 1 }, { callId: 'c', signal: controller.signal, timeoutMs: 2000 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ToolAbortedError);
    expect((outcome.error.cause as Error).message).toBe('user pressed stop');
    expect(outcome.content).toBe('Error: tool "probe" was cancelled because the run was aborted.');
    expect(signal?.aborted).toBe(true);
    expect((signal!.reason as Error).message).toBe('user pressed stop');
  });

  describe('a signal read only after the call ended (it is made on first read)', () => {
    it('is already aborted with the run signal reason', async () => {
      const controller = new AbortController();
      let context: ToolContext | undefined;
      const waiting = make((_args, given) => {
        context = given; // the signal itself is not read yet
        return new Promise(() => {});
      });
      const running = waiting.run({ n: 1 }, { callId: 'c', signal: controller.signal, timeoutMs: 2000 });
      controller.abort(new Error('stop'));
      const outcome = await running;
      expect(outcome.ok || outcome.error).toBeInstanceOf(ToolAbortedError);
      const signal = context!.signal;
      expect(signal.aborted).toBe(true);
      expect((signal.reason as Error).message).toBe('stop');
      expect(context!.signal).toBe(signal); // one signal per call, however often it is read
    });

    it('is already aborted with the ToolTimeoutError of a timed-out call', async () => {
      let context: ToolContext | undefined;
      const waiting = make(
        (_args, given) => {
          context = given;
          return new Promise(() => {});
        },
        { timeoutMs: 10 },
      );
      const outcome = await waiting.run({ n: 1 }, { callId: 'c' });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error).toBeInstanceOf(ToolTimeoutError);
      expect(context?.signal.aborted).toBe(true);
      expect(context?.signal.reason).toBe(outcome.error);
    });

    it('stays live for a call that finished normally', async () => {
      let context: ToolContext | undefined;
      const outcome = await make((_args, given) => {
        context = given;
        return 'ok';
      }).run({ n: 1 }, { callId: 'c', signal: new AbortController().signal });
      expect(outcome.ok).toBe(true);
      expect(context?.signal.aborted).toBe(false);
    });
  });

  it('does not start a call whose run signal is already aborted', async () => {
    const execute = vi.fn(() => 'ran');
    const outcome = await make(execute).run({ n: 1 }, { callId: 'c', signal: AbortSignal.abort() });
    expect(outcome.ok || outcome.error).toBeInstanceOf(ToolAbortedError);
    expect(execute).not.toHaveBeenCalled();
  });

  it('clears its timer once the call finishes', async () => {
    vi.useFakeTimers();
    try {
      const outcome = await make(() => 'done', { timeoutMs: 60_000 }).run({ n: 1 }, { callId: 'c' });
      expect(outcome.ok).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('invoke: one wire tool call, parse then run', () => {
  it('runs valid arguments', async () => {
    const outcome = await make(({ n }) => n * 2).invoke({
      id: 'call_00_a',
      function: { arguments: '{"n": 21}' },
    });
    expect(outcome).toEqual({ ok: true, content: '42', value: 42 });
  });

  it('returns input errors as results without running the tool', async () => {
    const execute = vi.fn(() => 'ran');
    const probe = make(execute);
    const invalid = await probe.invoke({ id: 'call_00_a', function: { arguments: '{"n": "x"}' } });
    expect(invalid.ok || invalid.error).toBeInstanceOf(ToolInputError);
    expect(invalid.content).toMatch(/^Error: Invalid arguments for tool "probe":\n- n: /);
    const truncated = await probe.invoke(
      { id: 'call_00_b', function: { arguments: '{"n": 1}' } },
      { finishReason: 'length' },
    );
    expect(truncated.ok || truncated.error).toMatchObject({ kind: 'truncated', callId: 'call_00_b' });
    expect(execute).not.toHaveBeenCalled();
  });

  it('reports a malformed call instead of throwing', async () => {
    const outcome = await make(() => 'ran').invoke({ id: 'call_00_d' } as never);
    expect(outcome.ok || outcome.error).toMatchObject({ kind: 'invalid_json', callId: 'call_00_d' });
  });

  it('passes run options through', async () => {
    const outcome = await make((_args, context) => untilAborted(context.signal)).invoke(
      { id: 'call_00_c', function: { arguments: '{"n": 1}' } },
      { timeoutMs: 10 },
    );
    expect(outcome.ok || outcome.error).toMatchObject({ callId: 'call_00_c', timeoutMs: 10 });
  });
});
