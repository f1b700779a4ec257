/**
 * The JSON text of a request body, built incrementally for an append-only history. An agent sends
 * the same messages again on every step, plus the few that are new; serializing the whole history
 * each time costs O(history) per request and O(steps^2) per run. Here each deeply frozen message
 * (frozen.ts: it cannot change) is serialized once, and the text of a history's leading frozen
 * messages is kept per `messages` array, so a request serializes only what was appended since.
 *
 * Only the joined text is kept (about the size of the history's JSON), not a text per message.
 *
 * The result is byte for byte `wireJson(body)` (`JSON.stringify` with lone surrogates sent as
 * U+FFFD). A message that is not deeply frozen is serialized on every request, as before: mutating
 * it is always seen. A frozen message cannot be mutated, and a message replaced in the array
 * (`messages[3] = other`) is noticed by an identity check of the kept prefix (a pointer comparison
 * per message, no serialization), skipped only for an array its owner promised append-only
 * (append-only.ts: the agent's own history).
 */

import { wireJson } from '../../streaming/text.js';
import { isDeepFrozen } from '../../wire/frozen.js';
import { isAppendOnly } from './append-only.js';

interface Prefix {
  /** The leading frozen messages the text covers (our own array: appended to, never exposed). */
  refs: unknown[];
  /** Their JSON texts joined with ','. */
  text: string;
}

/** Text of frozen fields other than `messages` (small: tools, response_format...), by value. */
const fieldText = new WeakMap<object, string>();

/** The leading frozen messages of each history array seen, with their text. */
const prefixes = new WeakMap<readonly unknown[], Prefix>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasToJSON(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

/** The text of a message that cannot change (kept in a prefix); undefined otherwise. */
function frozenText(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object' || !isDeepFrozen(message)) return undefined;
  return wireJson(message);
}

/** JSON.stringify's text for a value, undefined where it writes nothing (undefined, functions, symbols). */
function jsonOf(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  return wireJson(value);
}

/**
 * `messages` as JSON, or undefined when it must go through the plain path (an element with a
 * `toJSON` method, which JSON.stringify calls with the element's index).
 */
function messagesText(messages: readonly unknown[]): string | undefined {
  const length = messages.length;
  let prefix = prefixes.get(messages);
  let count = 0;
  if (prefix !== undefined) {
    const refs = prefix.refs;
    const kept = refs.length;
    // The kept prefix still leads the array (nothing replaced or removed): reuse its text. An
    // array promised append-only (append-only.ts) is not compared: its owner vouches for it.
    if (kept <= length) {
      if (isAppendOnly(messages)) count = kept;
      else while (count < kept && messages[count] === refs[count]) count++;
    }
    if (count < kept) {
      prefix = undefined;
      count = 0;
    }
  }
  let text = prefix?.text ?? '';
  let frozen = true;
  let tail = '';
  const refs = prefix?.refs ?? [];
  for (let i = count; i < length; i++) {
    const message = messages[i];
    let piece = frozen ? frozenText(message) : undefined;
    if (piece !== undefined) {
      text = i === 0 ? piece : `${text},${piece}`;
      refs.push(message);
      continue;
    }
    if (frozen) {
      frozen = false;
      if (refs.length > 0) prefixes.set(messages, { refs, text });
    }
    if (hasToJSON(message)) return undefined;
    piece = jsonOf(message) ?? 'null';
    tail += i === 0 ? piece : `,${piece}`;
  }
  if (frozen && refs.length > 0) prefixes.set(messages, { refs, text });
  return `[${text}${tail}]`;
}

/**
 * `wireJson(body)` for a request body: the same bytes, with the `messages` array serialized
 * incrementally (see the file comment). Other fields are serialized each time (they are small).
 *
 * With `streamOptions`, the text of `{ ...body, stream: true, stream_options: streamOptions }`,
 * without that copy of the body (a streamed request's body is the caller's params plus those two).
 */
export function bodyJson(body: unknown, streamOptions?: object): string {
  if (streamOptions !== undefined && !appendable(body)) {
    return bodyJson({ ...(body as object), stream: true, stream_options: streamOptions });
  }
  if (!isPlainObject(body) || hasToJSON(body)) return wireJson(body);
  const messages = body.messages;
  if (!Array.isArray(messages)) return wireJson(body);
  let out = '{';
  for (const key of Object.keys(body)) {
    const value = body[key];
    let text: string | undefined;
    if (key === 'messages') {
      text = messagesText(messages);
      if (text === undefined)
        return wireJson(streamOptions === undefined ? body : streamed(body, streamOptions));
    } else if (hasToJSON(value)) {
      // JSON.stringify calls toJSON with the property name.
      text = wireJson({ [key]: value }).slice(JSON.stringify(key).length + 2, -1);
    } else {
      text = fieldJson(value);
    }
    if (text === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  if (streamOptions !== undefined) {
    out += `${out.length === 1 ? '' : ','}"stream":true,"stream_options":${fieldJson(streamOptions) ?? 'null'}`;
  }
  return `${out}}`;
}

/** The text of a field other than `messages`; a frozen one (an agent's tools) is serialized once. */
function fieldJson(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && isDeepFrozen(value)) {
    let text = fieldText.get(value);
    if (text === undefined) {
      text = wireJson(value);
      fieldText.set(value, text);
    }
    return text;
  }
  return jsonOf(value);
}

/**
 * Whether `stream` and `stream_options` can be written after the body's own fields: a plain
 * body with a `messages` array and neither field of its own (a spread would keep its place).
 */
function appendable(body: unknown): body is Record<string, unknown> {
  return (
    isPlainObject(body) &&
    !hasToJSON(body) &&
    Array.isArray(body.messages) &&
    !Object.hasOwn(body, 'stream') &&
    !Object.hasOwn(body, 'stream_options')
  );
}

function streamed(body: Record<string, unknown>, streamOptions: object): Record<string, unknown> {
  return { ...body, stream: true, stream_options: streamOptions };
}
