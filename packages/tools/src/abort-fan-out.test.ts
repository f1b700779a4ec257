import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { onAbort } from './abort-fan-out.js';
import { tool } from './tool.js';

/** Collects the process warnings emitted while `body` runs. */
async function warningsDuring(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('onAbort', () => {
  it('calls every subscriber once, through one listener on the signal', async () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const warnings = await warningsDuring(async () => {
      for (let i = 0; i < 50; i++) onAbort(controller.signal, () => calls.push(i));
      controller.abort();
    });
    expect(calls).toHaveLength(50);
    expect(warnings).toEqual([]);
  });

  it('an unsubscribed listener is not called, and one that throws does not stop the others', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const off = onAbort(controller.signal, () => calls.push('off'));
    onAbort(controller.signal, () => {
      throw new Error('boom');
    });
    onAbort(controller.signal, () => calls.push('kept'));
    off();
    controller.abort();
    expect(calls).toEqual(['kept']);
  });

  it('resubscribes after everyone left', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push('first'))();
    onAbort(controller.signal, () => calls.push('second'));
    controller.abort();
    expect(calls).toEqual(['second']);
  });
});

describe('tool.run on a shared signal', () => {
  it('30 calls in flight on one signal print no MaxListenersExceededWarning and all end as aborted', async () => {
    const slow = tool({
      name: 'slow',
      description: 'd',
      parameters: z.object({}),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const controller = new AbortController();
    let outcomes: Array<{ ok: boolean }> = [];
    const warnings = await warningsDuring(async () => {
      const runs = Array.from({ length: 30 }, (_, i) =>
        slow.run({}, { callId: `c${i}`, signal: controller.signal }),
      );
      controller.abort();
      outcomes = await Promise.all(runs);
    });
    expect(warnings.filter((warning) => warning.includes('MaxListeners'))).toEqual([]);
    expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
  });
});
