import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepFreeze, freezeStrings, isDeepFrozen } from './frozen.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('isDeepFrozen', () => {
  it('needs every object frozen, plain, and made of data properties', () => {
    expect(isDeepFrozen(deepFreeze({ a: ['x', { b: 1 }] }))).toBe(true);
    expect(isDeepFrozen(Object.freeze({ a: { b: 1 } }))).toBe(false); // the inner object is not frozen
    const getter = Object.freeze(Object.defineProperty({}, 'a', { get: () => 'x', enumerable: true }));
    expect(isDeepFrozen(getter)).toBe(false);
    expect(isDeepFrozen(Object.freeze(new (class Box {})()))).toBe(false);
  });
});

describe('freezeStrings', () => {
  it('freezes and records an object of strings, and objects built of such, without a walk', () => {
    const fn = freezeStrings({ name: 'step', arguments: '{"n":1}' });
    const call = freezeStrings({ id: 'call_0', type: 'function', function: fn });
    const calls = freezeStrings([call]);
    const message = freezeStrings({
      role: 'assistant',
      content: '',
      reasoning_content: '',
      tool_calls: calls,
    });
    expect(
      Object.isFrozen(message) && Object.isFrozen(calls) && Object.isFrozen(call) && Object.isFrozen(fn),
    ).toBe(true);
    const walk = vi.spyOn(Object, 'getOwnPropertyDescriptor');
    expect(isDeepFrozen(message)).toBe(true);
    expect(walk).not.toHaveBeenCalled();
  });

  it('leaves anything else to the full walk, which tells the truth', () => {
    const inner = { n: 1 }; // someone's object: not frozen by freezeStrings
    const withObject = freezeStrings({ role: 'tool', content: inner });
    expect(Object.isFrozen(withObject)).toBe(true);
    expect(Object.isFrozen(inner)).toBe(false);
    expect(isDeepFrozen(withObject)).toBe(false);
    const withNumber = freezeStrings({ role: 'tool', content: 1 });
    const walk = vi.spyOn(Object, 'getOwnPropertyDescriptor');
    expect(isDeepFrozen(withNumber)).toBe(true); // walked: numbers are fine data
    expect(walk).toHaveBeenCalled();
    class Message {
      role = 'tool';
    }
    expect(isDeepFrozen(freezeStrings(new Message()))).toBe(false);
  });
});
