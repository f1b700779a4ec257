/**
 * Cutting text into stream deltas the way DeepSeek's tokens look on the wire: words with their
 * leading space (`" Francisco"`), punctuation alone, whitespace runs together. Concatenating the
 * pieces always gives the input back.
 */

const WORD_PIECES = / ?[\p{L}\p{N}_]+|\s+|[^\s\p{L}\p{N}_]/gu;
const ARGUMENT_PIECES = /\\[\s\S]?|"|[{}[\]]|[,:]\s*| ?[^"\\{}[\],:\s]+|\s+/g;

/** Word-like pieces, or fixed `size`-character pieces (never splitting a surrogate pair). */
export function splitText(text: string, size?: number): string[] {
  if (text.length === 0) return [];
  if (size !== undefined && size > 0) return splitFixed(text, size);
  return text.match(WORD_PIECES) ?? [text];
}

/**
 * JSON-token pieces for tool-call arguments, as in the captures: `{`, `"`, `location`, `"`, `: `,
 * `"`, `San`, ` Francisco`, `"`, `}`. Works on any string, valid JSON or not.
 */
export function splitArguments(text: string): string[] {
  if (text.length === 0) return [];
  return text.match(ARGUMENT_PIECES) ?? [text];
}

function splitFixed(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
