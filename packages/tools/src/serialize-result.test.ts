import { describe, expect, it } from 'vitest';
import { capToolContent } from './cap-content.js';
import { serializeToolResult } from './serialize-result.js';

describe('serializeToolResult', () => {
  it('keeps strings, writes undefined as a notice and other values as JSON', () => {
    expect(serializeToolResult('plain "text"')).toBe('plain "text"');
    expect(serializeToolResult(undefined)).toBe('(no output)');
    expect(serializeToolResult({ a: [1, true, null] })).toBe('{"a":[1,true,null]}');
    expect(serializeToolResult(false)).toBe('false');
  });

  it('throws for values JSON cannot carry', () => {
    expect(() => serializeToolResult(Symbol('s'))).toThrow(TypeError);
    expect(() => serializeToolResult(1n)).toThrow(TypeError);
  });
});

describe('capToolContent', () => {
  it('leaves content at or under the cap alone', () => {
    expect(capToolContent('abcde', 5)).toBe('abcde');
  });

  it('cuts and appends a notice with the number of characters removed', () => {
    expect(capToolContent('abcdefghij', 4)).toBe(
      'abcd\n…[truncated 6 characters: result exceeded the 4-character limit]',
    );
  });

  it('never splits a surrogate pair', () => {
    const capped = capToolContent('ab😀cd', 3);
    expect(capped.startsWith('ab\n')).toBe(true);
    expect(capped).toContain('truncated 4 characters');
  });

  it('replaces a lone surrogate a tool left (its own .slice() through an emoji) with U+FFFD', () => {
    const sliced = 'done 😀😀'.slice(0, 6); // 'done ' + half an emoji
    expect(capToolContent(sliced, 100)).toBe('done \ufffd');
    expect(capToolContent(`x${'😀'.slice(1)}${'y'.repeat(10)}`, 5)).toMatch(/^x\ufffdyyy\n…\[truncated/);
    const wellFormed = (text: string) =>
      !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
    expect(wellFormed(capToolContent(sliced, 100))).toBe(true);
  });
});
