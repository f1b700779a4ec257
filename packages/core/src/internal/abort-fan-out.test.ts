import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-fan-out.js';

describe('onAbort', () => {
  it('calls every subscriber once, through one listener on the signal', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(calls).toHaveLength(50);
  });

  it('drops its listener when the last subscriber leaves', () => {
    const controller = new AbortController();
    const offs = [onAbort(controller.signal, () => {}), onAbort(controller.signal, () => {})];
    offs[0]!();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    offs[1]!();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
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
