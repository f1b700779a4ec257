import { describe, expect, it } from 'vitest';
import { APIUserAbortError } from '../../errors/errors.js';
import { ConcurrencyLimiter } from './concurrency.js';

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('hands out slots up to the limit without waiting, then refuses', () => {
    const limiter = new ConcurrencyLimiter(2);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.active).toBe(2);
    limiter.release();
    expect(limiter.active).toBe(1);
    expect(limiter.tryAcquire()).toBe(true);
  });

  it('grants waiters in FIFO order, handing the released slot straight over', async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const order: number[] = [];
    const waits = [0, 1, 2, 3].map((n) => limiter.acquire(undefined).then(() => order.push(n)));
    expect(limiter.waiting).toBe(4);
    for (let i = 0; i < 4; i++) {
      limiter.release();
      await settle();
      expect(limiter.active).toBe(1);
    }
    await Promise.all(waits);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(limiter.waiting).toBe(0);
    limiter.release();
    expect(limiter.active).toBe(0);
  });

  it('does not let tryAcquire jump the queue', () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    void limiter.acquire(undefined);
    limiter.release(); // goes to the waiter
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.active).toBe(1);
  });

  it('removes an aborted waiter from the middle of the queue and rejects it with APIUserAbortError', async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const order: string[] = [];
    const controller = new AbortController();
    const first = limiter.acquire(undefined).then(() => order.push('first'));
    const middle = limiter.acquire(controller.signal);
    const last = limiter.acquire(undefined).then(() => order.push('last'));
    controller.abort(new Error('changed my mind'));
    const error = await middle.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toContain('maxConcurrency');
    expect((error as Error).cause).toEqual(new Error('changed my mind'));
    expect(limiter.waiting).toBe(2);
    limiter.release();
    limiter.release();
    await Promise.all([first, last]);
    expect(order).toEqual(['first', 'last']);
    expect(limiter.active).toBe(1);
  });

  it('removes the only, first or last waiter cleanly', async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    for (const position of [0, 2]) {
      const controllers = [new AbortController(), new AbortController(), new AbortController()];
      const waits = controllers.map((c) => limiter.acquire(c.signal).catch((e: unknown) => e));
      controllers[position]!.abort();
      expect(await waits[position]).toBeInstanceOf(APIUserAbortError);
      for (const c of controllers) c.abort();
      await Promise.all(waits);
      expect(limiter.waiting).toBe(0);
    }
    const lone = new AbortController();
    const wait = limiter.acquire(lone.signal).catch((e: unknown) => e);
    lone.abort();
    expect(await wait).toBeInstanceOf(APIUserAbortError);
    limiter.release();
    expect(limiter.active).toBe(0);
    expect(limiter.tryAcquire()).toBe(true);
  });

  it('rejects at once for a signal that already aborted, without queueing', async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const error = await limiter.acquire(AbortSignal.abort()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(limiter.waiting).toBe(0);
  });

  it('keeps a granted slot when the signal aborts afterwards (the holder releases it)', async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.tryAcquire();
    const controller = new AbortController();
    const wait = limiter.acquire(controller.signal);
    limiter.release();
    controller.abort();
    await expect(wait).resolves.toBeUndefined();
    expect(limiter.active).toBe(1);
  });
});
