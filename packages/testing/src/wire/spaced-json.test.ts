import { describe, expect, it } from 'vitest';
import { spacedJson } from './spaced-json.js';

describe('spacedJson', () => {
  it('writes arguments with spaces after colons and commas, as DeepSeek does', () => {
    expect(spacedJson({ location: 'San Francisco' })).toBe('{"location": "San Francisco"}');
    expect(spacedJson({ a: [1, 2, { b: null }], c: 'x, y: z' })).toBe(
      '{"a": [1, 2, {"b": null}], "c": "x, y: z"}',
    );
    expect(JSON.parse(spacedJson({ q: 'é"\\' }))).toEqual({ q: 'é"\\' });
    expect(spacedJson({})).toBe('{}');
  });
});
