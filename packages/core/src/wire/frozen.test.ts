import { afterEach, describe, expect, it, vi } from 'vitest';
import { deepFreeze, freezeOwnData, isDeepFrozen } from './frozen.js';

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

describe('freezeOwnData', () => {
  it('freezes a fresh tree of plain data and records it as deeply frozen, with no second walk', () => {
    const message = freezeOwnData({
      role: 'assistant',
      content: '',
      reasoning_content: '',
      tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'step', arguments: '{"n":1}' } }],
      extra: { n: 1, ok: true, none: null },
    });
    const call = message.tool_calls[0]!;
    expect(Object.isFrozen(message) && Object.isFrozen(message.tool_calls) && Object.isFrozen(call)).toBe(
      true,
    );
    expect(Object.isFrozen(call.function) && Object.isFrozen(message.extra)).toBe(true);
    const walk = vi.spyOn(Object, 'getOwnPropertyDescriptor');
    expect(isDeepFrozen(message)).toBe(true);
    expect(walk).not.toHaveBeenCalled();
  });

  it('freezes anything else too, but leaves it to the full walk, which tells the truth', () => {
    class Part {
      text = 'x';
    }
    const withInstance = freezeOwnData({ role: 'tool', content: [new Part()] });
    expect(Object.isFrozen(withInstance.content[0])).toBe(true);
    expect(isDeepFrozen(withInstance)).toBe(false);
    const withFunction = freezeOwnData({ role: 'tool', content: () => 'x' });
    expect(isDeepFrozen(withFunction)).toBe(false);
    const someoneElses = Object.freeze({ text: 'x' }); // frozen by its owner: walked, and it is data
    const walk = vi.spyOn(Object, 'getOwnPropertyDescriptor');
    expect(isDeepFrozen(freezeOwnData({ role: 'tool', content: someoneElses }))).toBe(true);
    expect(walk).toHaveBeenCalled();
  });

  it('stops at a cycle (deeper than any message) and records nothing', () => {
    const looped: Record<string, unknown> = { role: 'tool' };
    looped.self = looped;
    expect(isDeepFrozen(freezeOwnData(looped))).toBe(false);
  });
});
