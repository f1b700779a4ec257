import { describe, expect, it } from 'vitest';
import { isAppendOnly, promiseAppendOnly, revokeAppendOnly } from './append-only.js';

describe('append-only promises', () => {
  it('an array is trusted only once promised, and never again once revoked', () => {
    const messages: unknown[] = [];
    expect(isAppendOnly(messages)).toBe(false);
    promiseAppendOnly(messages);
    expect(isAppendOnly(messages)).toBe(true);
    expect(isAppendOnly([])).toBe(false); // per array, not per content
    revokeAppendOnly(messages);
    promiseAppendOnly(messages);
    expect(isAppendOnly(messages)).toBe(false);
  });

  it('revoking an array never promised keeps it untrusted for good', () => {
    const messages: unknown[] = [];
    revokeAppendOnly(messages);
    promiseAppendOnly(messages);
    expect(isAppendOnly(messages)).toBe(false);
  });
});
