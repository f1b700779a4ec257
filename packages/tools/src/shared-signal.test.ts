import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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
