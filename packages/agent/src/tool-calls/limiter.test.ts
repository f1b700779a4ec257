import { describe, expect, it } from 'vitest';
import { mapLimit } from './limiter.js';

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('mapLimit', () => {
  it.each([1, 2, 5, 10])('keeps input order and never exceeds the limit (%i)', async (limit) => {
    let running = 0;
    let peak = 0;
    const items = [5, 1, 4, 2, 3, 1, 2];
    const results = await mapLimit(items, limit, async (item, index) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < item; i++) await tick();
      running--;
      return `${index}:${item}`;
    });
    expect(results).toEqual(items.map((item, index) => `${index}:${item}`));
    expect(peak).toBe(Math.min(limit, items.length));
  });

  it('rejects with the first failure and starts no further task', async () => {
    const started: number[] = [];
    const failing = mapLimit([0, 1, 2, 3], 1, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('task 1 failed');
      return item;
    });
    await expect(failing).rejects.toThrow('task 1 failed');
    await tick();
    expect(started).toEqual([0, 1]);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const task = (item: number): Promise<number> => {
      if (item === 2) throw new Error('sync throw');
      return Promise.resolve(item);
    };
    await expect(mapLimit([1, 2, 3], 1, task)).rejects.toThrow('sync throw');
  });

  it('resolves an empty list at once', async () => {
    expect(await mapLimit([], 3, async () => 1)).toEqual([]);
  });
});
