import { describe, expect, it } from 'vitest';
import {
  checkLogger,
  checkOneOf,
  checkRetries,
  checkSignal,
  describeValue,
  didYouMean,
  findUnknownKey,
  isMaxTokens,
  isUserId,
  listValues,
  MAX_OUTPUT_TOKENS,
  positiveInteger,
  REASONING_EFFORTS,
} from './option-checks.js';

class TestError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
const fail = (field: string, message: string) => new TestError(field, message);

function thrown(run: () => unknown): TestError {
  try {
    run();
  } catch (error) {
    return error as TestError;
  }
  throw new Error('expected a throw');
}

describe('describeValue', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [[1], 'an array'],
    ['yes', 'a string ("yes")'],
    [1.5, 'a number (1.5)'],
    [true, 'a boolean (true)'],
    [3n, 'a bigint (3n)'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
    [{ a: 1 }, 'an object'],
  ])('describes %s as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('never quotes a long string whole, nor splits a surrogate pair', () => {
    expect(describeValue('x'.repeat(100))).toBe(`a string ("${'x'.repeat(40)}…")`);
    expect(describeValue(`${'x'.repeat(39)}😀tail`)).toBe(`a string ("${'x'.repeat(39)}…")`);
  });
});

describe('didYouMean and findUnknownKey', () => {
  it('suggests a close or shortened name, case-insensitively, and nothing for a far one', () => {
    expect(didYouMean('timout', ['timeout', 'maxRetries'])).toBe('timeout');
    expect(didYouMean('maxRetry', ['timeout', 'maxRetries'])).toBe('maxRetries');
    expect(didYouMean('MAXSTEPS', ['maxSteps'])).toBe('maxSteps');
    expect(didYouMean('banana', ['timeout', 'maxRetries'])).toBeUndefined();
  });

  it('finds the first unknown key, quoted and cut', () => {
    expect(findUnknownKey({ timeout: 1, timout: 2 }, ['timeout'])).toEqual({
      key: 'timout',
      shown: '"timout"',
      guess: 'timeout',
    });
    expect(findUnknownKey({ timeout: 1 }, ['timeout'])).toBeUndefined();
    expect(findUnknownKey({ ['k'.repeat(100)]: 1 }, ['timeout'])?.shown).toBe(`"${'k'.repeat(64)}…"`);
  });
});

describe('the shared checks throw the caller error naming the field', () => {
  it('checkSignal accepts an AbortSignal by shape and refuses anything else', () => {
    const signal = new AbortController().signal;
    expect(checkSignal(signal, fail)).toBe(signal);
    expect(checkSignal(undefined, fail)).toBeUndefined();
    const error = thrown(() => checkSignal({ aborted: 'no' }, fail));
    expect(error).toBeInstanceOf(TestError);
    expect(error.field).toBe('signal');
    expect(error.message).toBe(
      'Expected `signal` to be an AbortSignal (e.g. new AbortController().signal), got an object.',
    );
  });

  it('checkRetries and positiveInteger', () => {
    expect(checkRetries(undefined, 2, fail)).toBe(2);
    expect(checkRetries(0, 2, fail)).toBe(0);
    expect(thrown(() => checkRetries(-1, 2, fail)).message).toBe(
      'Expected `maxRetries` to be a non-negative integer, got a number (-1).',
    );
    expect(positiveInteger('maxSteps', undefined, 5, fail)).toBe(5);
    expect(thrown(() => positiveInteger('maxSteps', 0, 5, fail)).field).toBe('maxSteps');
    expect(thrown(() => positiveInteger('maxSteps', 1.5, 5, fail)).message).toContain('a number (1.5)');
  });

  it('checkLogger names the missing methods', () => {
    expect(() => checkLogger(console, fail)).not.toThrow();
    expect(thrown(() => checkLogger({ info() {} }, fail)).message).toContain(
      'it has no debug, warn, error method',
    );
    expect(thrown(() => checkLogger('pino', fail)).message).toContain('got a string ("pino")');
  });

  it('checkOneOf lists every accepted value of the union', () => {
    expect(checkOneOf('reasoningEffort', 'ultra', REASONING_EFFORTS, fail)).toBe('ultra');
    const error = thrown(() => checkOneOf('reasoningEffort', 'huge', REASONING_EFFORTS, fail));
    for (const effort of REASONING_EFFORTS) expect(error.message).toContain(`'${effort}'`);
    expect(error.message).toBe(
      `Expected \`reasoningEffort\` to be one of ${listValues(REASONING_EFFORTS)}, got a string ("huge").`,
    );
    expect(listValues(['USD', 'CNY'])).toBe("'USD' or 'CNY'");
  });
});

describe("DeepSeek's request limits, shared by pre-flight and the agent's options", () => {
  it('max_tokens: an integer from 1 to 393216', () => {
    expect(MAX_OUTPUT_TOKENS).toBe(393_216);
    for (const ok of [1, 4096, 393_216]) expect(isMaxTokens(ok)).toBe(true);
    for (const bad of [0, 393_217, 1.5, '10', Number.NaN]) expect(isMaxTokens(bad)).toBe(false);
  });

  it('user_id: 1 to 512 letters, digits, _ or -', () => {
    expect(isUserId('user_42-a')).toBe(true);
    expect(isUserId('x'.repeat(512))).toBe(true);
    for (const bad of ['', 'x'.repeat(513), 'alice@example.com', 42]) expect(isUserId(bad)).toBe(false);
  });
});
