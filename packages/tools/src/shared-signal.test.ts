import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from './tool.js';

describe('tool.run on a shared signal', () => {
  it('30 calls in flight on one signal add one listener to it (no MaxListenersExceededWarning) and all end as aborted', async () => {
    const slow = tool({
      name: 'slow',
      description: 'd',
      parameters: z.object({}),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const controller = new AbortController();
    const runs = Array.from({ length: 30 }, (_, i) =>
      slow.run({}, { callId: `c${i}`, signal: controller.signal }),
    );
    // Node warns past 10 listeners on one signal; the fan-out keeps it at one.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const outcomes = await Promise.all(runs);
    expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
