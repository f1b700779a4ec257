import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../wire/usage.js';
import { appendPrint, EMPTY_PRINT, printText, printTokens } from './text-print.js';

describe('text prints', () => {
  it('appends in O(1) exactly as printing the concatenation', () => {
    const pairs: Array<[string, string]> = [
      ['', ''],
      ['abc', ''],
      ['', 'xyz'],
      ['<|system|>You are helpful.\n', '<|user|>流式输出 token by token\n'],
      ['a'.repeat(1000), 'b'.repeat(12_345)],
    ];
    for (const [a, b] of pairs) {
      expect(appendPrint(printText(a), printText(b))).toEqual(printText(a + b));
    }
    expect(printText('')).toEqual(EMPTY_PRINT);
  });

  it('tells different texts apart and counts tokens like estimateTokens', () => {
    expect(printText('abc')).not.toEqual(printText('acb'));
    for (const text of ['', 'x', 'hello world', '流式输出', 'a'.repeat(999)]) {
      expect(printTokens(printText(text))).toBe(estimateTokens(text));
    }
  });
});
