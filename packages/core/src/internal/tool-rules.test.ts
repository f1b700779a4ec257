import { describe, expect, it } from 'vitest';
import { firstDuplicate, MAX_TOOLS, mixedStrict, toolNameProblem } from './tool-rules.js';

describe("DeepSeek's tool-set rules", () => {
  it('names: letters, digits, _ and -, 1 to 128 characters (or a stricter limit)', () => {
    expect(toolNameProblem('get_weather-2')).toBeUndefined();
    expect(toolNameProblem(42)).toBe('not-a-string');
    expect(toolNameProblem('')).toBe('empty');
    expect(toolNameProblem('get weather')).toBe('characters');
    expect(toolNameProblem('x'.repeat(128))).toBeUndefined();
    expect(toolNameProblem('x'.repeat(129))).toBe('too-long');
    expect(toolNameProblem('x'.repeat(65), 64)).toBe('too-long');
  });

  it('no name twice, strict all or nothing, at most 128 tools', () => {
    expect(firstDuplicate(['a', 'b', 'a', 'b'])).toBe(2);
    expect(firstDuplicate(['a', 'b'])).toBe(-1);
    expect(mixedStrict([true, true])).toBeUndefined();
    expect(mixedStrict([false, false])).toBeUndefined();
    expect(mixedStrict([false, true, false])).toEqual({ strictIndex: 1, looseIndex: 0, count: 1 });
    expect(MAX_TOOLS).toBe(128);
  });
});
