import { cutText, toWellFormed } from '@plumb/core';

/**
 * The tool message text: lone UTF-16 surrogates (half an emoji left by a tool's own `.slice()`)
 * replaced by U+FFFD, so the history stays valid to send again, and cut to `maxChars` characters
 * between code points, saying so visibly so the model knows it saw only part of the result:
 * `…[truncated 12345 characters: result exceeded the 100000-character limit]`.
 */
export function capToolContent(content: string, maxChars: number): string {
  const text = toWellFormed(content);
  if (text.length <= maxChars) return text;
  const kept = cutText(text, maxChars);
  const removed = text.length - kept.length;
  return `${kept}\n…[truncated ${removed} characters: result exceeded the ${maxChars}-character limit]`;
}
