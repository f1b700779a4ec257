/**
 * Well-formed text: DeepSeek rejects a request holding a lone UTF-16 surrogate (half of an emoji
 * left by a `.slice()`) with a 400 (`unexpected end of hex escape`), so nothing plumb sends may
 * hold one, and wherever plumb shortens text it cuts between code points.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function toWellFormed(text: string): string {
  const native = (text as { toWellFormed?: () => string }).toWellFormed;
  return native ? native.call(text) : text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * The first `max` UTF-16 code units of `text`, one fewer when the cut would split a surrogate
 * pair (never a lone half at the end).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

// JSON.stringify writes a lone surrogate as a `\udXXX` escape (well-formed JSON, refused by
// DeepSeek's parser) and a surrogate pair as the character itself, so in its output every
// `\ud800`-`\udfff` escape whose backslash is not itself escaped is a lone half.
const ESCAPED_LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON.stringify for a request body, with lone surrogates sent as U+FFFD. */
export function wireJson(body: unknown): string {
  const json = JSON.stringify(body);
  return json.includes('\\ud') ? json.replace(ESCAPED_LONE_SURROGATE, '$1\ufffd') : json;
}
