import { describe, expect, it } from 'vitest';
import { looksTruncated } from './json-balance.js';

describe('looksTruncated', () => {
  it.each([
    '{"city": "Par',
    '{"city": "Paris"',
    '{"a": [1, 2',
    '{"a": {"b": 1}',
    "{'city': 'Par",
    '{"a": "ends with a backslash\\',
    '{"a": [1,2}',
  ])('flags %j', (text) => {
    expect(looksTruncated(text)).toBe(true);
  });

  it.each([
    '{"a": 1}',
    '{"a": 1}}',
    "{'a': 'b',}",
    '{"a": "} { [ ] \\" \' inside a string"}',
    "{'a': \"it's\"}",
    '{a: True}',
    '',
  ])('does not flag %j', (text) => {
    expect(looksTruncated(text)).toBe(false);
  });
});
