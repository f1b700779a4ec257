import { readFileSync } from 'node:fs';
import type { Cassette, CassetteInteraction, RecordedRequest } from '../types.js';

/** Reads and checks a cassette (path or object). */
export function loadCassette(source: string | Cassette): Cassette {
  const cassette =
    typeof source === 'string' ? (JSON.parse(readFileSync(source, 'utf8')) as Cassette) : source;
  if (cassette?.version !== 1 || !Array.isArray(cassette.interactions)) {
    const where = typeof source === 'string' ? ` ${source}` : '';
    throw new TypeError(
      `Cassette${where} is not a plumb cassette: expected { "version": 1, "interactions": [...] } as written by startRecorder().`,
    );
  }
  return cassette;
}

/** `sk-abcd…wxyz` -> `****wxyz`: how keys appear in recorded data. */
export function redactKey(key: string): string {
  return `****${key.slice(-4)}`;
}

/** `Bearer sk-…wxyz` -> `Bearer ****wxyz`; anything else -> `****`. */
export function redactAuthorization(value: string): string {
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? `Bearer ${redactKey(match[1]!)}` : '****';
}

/**
 * A pattern for `secret` as it may be written in JSON or a URL: each character plainly, as a
 * `\uXXXX` escape (any hex case), `/` as `\/`, or percent-encoded.
 */
function escapedForms(secret: string): RegExp {
  let source = '';
  for (const char of secret) {
    const code = char.codePointAt(0)!;
    const options = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
    if (code <= 0xffff) options.push(`\\\\u${code.toString(16).padStart(4, '0')}`);
    if (char === '/') options.push('\\\\/');
    const encoded = encodeURIComponent(char);
    if (encoded !== char) options.push(encoded);
    source += options.length === 1 ? options[0] : `(?:${options.join('|')})`;
  }
  return new RegExp(source, 'gi');
}

/**
 * Replaces every occurrence of `secret` in `text` by its redacted form, also JSON-escaped
 * (`\u0073k-...`, which JSON.parse turns back into the key) or percent-encoded.
 */
export function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  const out = text.split(secret).join(redactKey(secret));
  if (!out.includes('\\') && !out.includes('%')) return out;
  return out.replace(escapedForms(secret), redactKey(secret));
}

const VALUE_PREVIEW = 80;

function preview(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > VALUE_PREVIEW ? `${text.slice(0, VALUE_PREVIEW - 3)}...` : text;
}

/** The first difference between two JSON values, as `path: expected X, got Y`. */
function firstDifference(expected: unknown, actual: unknown, path = 'body'): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    expected !== null &&
    actual !== null &&
    !Array.isArray(expected) &&
    !Array.isArray(actual);
  if (bothArrays) {
    const length = Math.max(expected.length, actual.length);
    for (let index = 0; index < length; index++) {
      const difference = firstDifference(expected[index], actual[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (bothObjects) {
    const left = expected as Record<string, unknown>;
    const right = actual as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      const difference = firstDifference(left[key], right[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  return `${path}: expected ${preview(expected)}, got ${preview(actual)}`;
}

/** Why `request` does not match a recorded interaction, or undefined when it does. */
export function mismatch(interaction: CassetteInteraction, request: RecordedRequest): string | undefined {
  const recorded = interaction.request;
  if (recorded.method !== request.method || recorded.path !== request.path) {
    return `expected ${recorded.method} ${recorded.path}, got ${request.method} ${request.path}`;
  }
  if ('body' in recorded && recorded.body !== undefined) {
    return firstDifference(recorded.body, request.body);
  }
  const raw = recorded.rawBody ?? '';
  return raw === request.rawBody
    ? undefined
    : `rawBody: expected ${preview(raw)}, got ${preview(request.rawBody)}`;
}
