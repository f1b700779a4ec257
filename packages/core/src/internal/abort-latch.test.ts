import { describe, expect, it } from 'vitest';
import { AbortLatch, signalOf, subscribe } from './abort-latch.js';

describe('AbortLatch', () => {
  it('tells its subscribers once, in order, with the reason given', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    latch.onAbort(() => calls.push('first'));
    latch.onAbort(() => calls.push('second'));
    const reason = new Error('stop');
    latch.abort(reason);
    latch.abort(new Error('again'));
    expect(calls).toEqual(['first', 'second']);
    expect(latch.aborted).toBe(true);
    expect(latch.reason).toBe(reason);
  });

  it('without a reason, aborts with the AbortError an AbortController gives', () => {
    const latch = new AbortLatch();
    latch.abort();
    const controller = new AbortController();
    controller.abort();
    expect(latch.reason).toBeInstanceOf(DOMException);
    expect((latch.reason as DOMException).name).toBe((controller.signal.reason as DOMException).name);
    expect((latch.reason as DOMException).message).toBe((controller.signal.reason as DOMException).message);
  });

  it('an unsubscribed listener is not called, and one that throws does not stop the others', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    const off = latch.onAbort(() => calls.push('off'));
    latch.onAbort(() => {
      throw new Error('boom');
    });
    latch.onAbort(() => calls.push('kept'));
    off();
    latch.abort();
    expect(calls).toEqual(['kept']);
  });

  it('makes a real signal only when asked, which follows the latch with the same reason', () => {
    const before = new AbortLatch();
    const signal = before.signal;
    expect(before.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('stop');
    before.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);

    const after = new AbortLatch();
    after.abort(reason);
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe(reason);
  });

  it('subscribing to an aborted latch never calls the listener', () => {
    const latch = new AbortLatch();
    latch.abort();
    const calls: string[] = [];
    latch.onAbort(() => calls.push('late'))();
    expect(calls).toEqual([]);
  });
});

describe('subscribe / signalOf', () => {
  it('work alike on a latch and on an AbortSignal', () => {
    const latch = new AbortLatch();
    const controller = new AbortController();
    const calls: string[] = [];
    subscribe(latch, () => calls.push('latch'));
    subscribe(controller.signal, () => calls.push('signal'));
    const offLatch = subscribe(latch, () => calls.push('latch off'));
    const offSignal = subscribe(controller.signal, () => calls.push('signal off'));
    offLatch();
    offSignal();
    latch.abort();
    controller.abort();
    expect(calls).toEqual(['latch', 'signal']);
    expect(signalOf(controller.signal)).toBe(controller.signal);
    expect(signalOf(latch)?.aborted).toBe(true);
    expect(signalOf(undefined)).toBeUndefined();
  });
});
