import { ToolResultContent } from './tool-content.js';

/** The default cap on a tool message's length, in characters (UTF-16 code units). */
export const DEFAULT_MAX_RESULT_CHARS = 100_000;

/** What a tool message says when `execute` returned `undefined` (an empty message reads as a glitch). */
export const NO_OUTPUT = '(no output)';

/**
 * A tool's return value as tool-message text: strings as they are, `undefined` as
 * {@link NO_OUTPUT}, anything else as JSON. Throws a `TypeError` for values JSON cannot carry
 * (circular structures, BigInt, functions, symbols).
 */
export function serializeToolResult(value: unknown): string {
  if (typeof value === 'string') return value;
  if (ToolResultContent.isInstance(value)) return value.text();
  if (value === undefined) return NO_OUTPUT;
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`a ${typeof value} cannot be serialized to JSON`);
  return json;
}
