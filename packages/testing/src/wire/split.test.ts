import { describe, expect, it } from 'vitest';
import { splitArguments, splitText } from './split.js';

describe('splitText', () => {
  it('cuts word-like pieces with their leading space, and loses nothing', () => {
    const text = 'The user asks about the weather in San Francisco. I should use the weather tool.\n\nOK!';
    const pieces = splitText(text);
    expect(pieces.slice(0, 4)).toEqual(['The', ' user', ' asks', ' about']);
    expect(pieces).toContain('.');
    expect(pieces.join('')).toBe(text);
  });

  it('cuts fixed-size pieces without splitting surrogate pairs', () => {
    const text = 'ab😀cd';
    const pieces = splitText(text, 3);
    expect(pieces.join('')).toBe(text);
    expect(pieces[0]).toBe('ab\ud83d\ude00');
  });

  it('gives nothing for empty text', () => {
    expect(splitText('')).toEqual([]);
  });
});

describe('splitArguments', () => {
  it('cuts JSON-token pieces like the real captures', () => {
    expect(splitArguments('{"location": "San Francisco"}')).toEqual([
      '{',
      '"',
      'location',
      '"',
      ': ',
      '"',
      'San',
      ' Francisco',
      '"',
      '}',
    ]);
  });

  it('round-trips any string, even invalid JSON with escapes', () => {
    for (const text of ['{"a": "x\\"y", "b": [1, 2]}', '{"broken', '\\', 'plain words']) {
      expect(splitArguments(text).join('')).toBe(text);
    }
  });
});
