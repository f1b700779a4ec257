/**
 * Fingerprints of texts for the prompt-cache model: length, two 32-bit polynomial hashes and the
 * token estimate, built in one pass and combinable in O(1) (`print(a + b)` from `print(a)` and
 * `print(b)`), so the cache never stores or re-compares whole prompts.
 */

import { tokenTenths } from '../wire/usage.js';

export const BASE_1 = 0x01000193;
export const BASE_2 = 0x5bd1e995;

/** What the prompt cache knows about a text. */
export interface TextPrint {
  length: number;
  /** Polynomial hashes `Σ c[i]·B^(n-1-i)` mod 2^32, for two bases. */
  h1: number;
  h2: number;
  /** `B^length` mod 2^32, for each base (needed to append). */
  p1: number;
  p2: number;
  /** Token estimate in tenths (see `estimateTokens`). */
  tenths: number;
  /** The last UTF-16 code unit (-1 for the empty text). */
  last: number;
}

export const EMPTY_PRINT: TextPrint = { length: 0, h1: 0, h2: 0, p1: 1, p2: 1, tenths: 0, last: -1 };

/** The print of `text` (O(length)). */
export function printText(text: string): TextPrint {
  let h1 = 0;
  let h2 = 0;
  let tenths = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = (Math.imul(h1, BASE_1) + code) | 0;
    h2 = (Math.imul(h2, BASE_2) + code) | 0;
    tenths += tokenTenths(code);
  }
  return makePrint(text.length, h1, h2, tenths, text.length === 0 ? -1 : text.charCodeAt(text.length - 1));
}

/** A print from its hashes (the powers are computed in O(log length)). */
export function makePrint(length: number, h1: number, h2: number, tenths: number, last: number): TextPrint {
  return { length, h1, h2, p1: power(BASE_1, length), p2: power(BASE_2, length), tenths, last };
}

/** `base^exponent` mod 2^32. */
function power(base: number, exponent: number): number {
  let result = 1;
  let factor = base;
  for (let rest = exponent; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = Math.imul(result, factor);
    factor = Math.imul(factor, factor);
  }
  return result;
}

/** The print of `a + b` (O(1)). */
export function appendPrint(a: TextPrint, b: TextPrint): TextPrint {
  return {
    length: a.length + b.length,
    h1: (Math.imul(a.h1, b.p1) + b.h1) | 0,
    h2: (Math.imul(a.h2, b.p2) + b.h2) | 0,
    p1: Math.imul(a.p1, b.p1),
    p2: Math.imul(a.p2, b.p2),
    tenths: a.tenths + b.tenths,
    last: b.length === 0 ? a.last : b.last,
  };
}

/** Whole tokens of a print: the `estimateTokens` value of the text it was made from. */
export function printTokens(print: Pick<TextPrint, 'length' | 'tenths'>): number {
  return print.length === 0 ? 0 : Math.max(1, Math.ceil(print.tenths / 10));
}
