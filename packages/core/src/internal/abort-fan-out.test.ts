import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-fan-out.js';

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
