import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_REPAIR_DEPTH, repairJson } from './repair-json.js';
import { tool } from './tool.js';

describe('repairJson', () => {
  it.each([
    [
      'single quotes',
      "{'city': 'Paris', 'note': 'it\\'s \"fine\"'}",
      { city: 'Paris', note: 'it\'s "fine"' },
    ],
    ['trailing and doubled commas', '{"a": [1, 2,,], "b": 3,}', { a: [1, 2], b: 3 }],
    ['unquoted keys', '{city: "Paris", max_days: 2}', { city: 'Paris', max_days: 2 }],
    ['Python literals', '{"a": True, "b": False, "c": None}', { a: true, b: false, c: null }],
    ['a code fence', '```json\n{"a": 1}\n```', { a: 1 }],
    ['missing commas', '{"a": "x" "b": [1 2 "y"]}', { a: 'x', b: [1, 2, 'y'] }],
    ['comments', '{\n// the city\n"a": /* inline */ 1}', { a: 1 }],
    ['raw line breaks in strings', '{"a": "line 1\nline 2\ttab"}', { a: 'line 1\nline 2\ttab' }],
    ['escapes', '{"a": "\\u00e9\\n\\"\\x"}', { a: 'é\n"x' }],
    ['numbers', '[-1, +2, 1.5e3, .5]', [-1, 2, 1500, 0.5]],
  ])('repairs %s', (_label, text, expected) => {
    expect(repairJson(text)).toEqual(expected);
  });

  it('keeps a "__proto__" key as an own property, like JSON.parse', () => {
    const value = repairJson("{'__proto__': {'polluted': true}}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['two values', '{"a": 1} {"b": 2}'],
    ['a bare word', '{"a": Paris}'],
    ['an unclosed object', '{"a": 1'],
    ['an unterminated string', '{"a": "b'],
    ['a missing colon', '{"a" 1}'],
    ['not a number', '[1-2-]'],
  ])('refuses %s with a SyntaxError naming the position', (_label, text) => {
    expect(() => repairJson(text)).toThrow(/at position \d+/);
  });
});

// Hostile input: 1 MB each. jsonrepair was cubic on some of these (3 KB took seconds); the bench's
// "hostile input" scenario records the times, the test checks the results.
describe('repairJson on 1 MB hostile input', () => {
  const MB = 1_000_000;

  it('quotes that never close the way a repairer expects', () => {
    expect(() => repairJson(`{"a":"b${' "x'.repeat(MB / 3)}}`)).toThrow(SyntaxError);
    expect(() => repairJson(`["${'a"'.repeat(MB / 2)}]`)).toThrow(SyntaxError);
    expect(() => repairJson(`{"a":"${'"'.repeat(MB)}}`)).toThrow(SyntaxError);
    expect(repairJson(`['${"\\'".repeat(MB / 2)}']`)).toEqual(["'".repeat(MB / 2)]);
  });

  it('deep nesting, long runs of blanks, commas and comments', () => {
    expect(() => repairJson('['.repeat(MB))).toThrow(`nested more than ${MAX_REPAIR_DEPTH} levels`);
    expect(repairJson(`{'a':${' '.repeat(MB)}1}`)).toEqual({ a: 1 });
    expect(repairJson(`[${','.repeat(MB)}]`)).toEqual([]);
    expect(repairJson(`[1${' /**/'.repeat(MB / 5)}]`)).toEqual([1]);
    expect(() => repairJson(`[${'/*'.repeat(MB / 2)}`)).toThrow(SyntaxError);
    expect(repairJson(`[${'1 '.repeat(MB / 2)}]`)).toHaveLength(MB / 2);
  });

  it('through parseArguments: a clear invalid_json result, not a frozen process', async () => {
    const write = tool({
      name: 'write_file',
      description: 'Write a file',
      parameters: z.object({ path: z.string(), content: z.string() }),
      execute: () => 'ok',
    });
    const hostile = await write.parseArguments(`{'path': 'a', 'content': "b${' "x'.repeat(MB / 3)}}`);
    expect(hostile.ok).toBe(false);
    if (!hostile.ok) expect(hostile.error.kind).toBe('invalid_json');
    const big = await write.parseArguments(`{'path': 'a', 'content': '${'x'.repeat(MB)}',}`);
    expect(big.ok && big.repaired && big.args.content.length).toBe(MB);
  });
});
