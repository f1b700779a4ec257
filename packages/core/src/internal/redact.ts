/** Keeping the API key and other configured secrets out of logs, errors and anything serialized. */

const BEARER = /Bearer\s+[^\s"',;]+/g;
const SECRET_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;

/** `****abcd`: the last four characters, enough to tell keys apart, as DeepSeek itself prints them. */
export function maskKey(key: string): string {
  return key.length > 8 ? `****${key.slice(-4)}` : '****';
}

/** Secrets shorter than this are not searched for (a 1-character "password" would mask every letter). */
const MIN_SECRET = 4;

const patterns = new Map<string, RegExp>();

/**
 * A pattern matching `secret` as written in text a server may send back: plainly, JSON-escaped
 * (each character possibly as `\uXXXX`, `/` as `\/`) or percent-encoded.
 */
function patternFor(secret: string): RegExp {
  let pattern = patterns.get(secret);
  if (pattern === undefined) {
    let source = '';
    for (const char of secret) {
      const code = char.codePointAt(0)!;
      const options = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
      if (code <= 0xffff) options.push(`\\\\u${code.toString(16).padStart(4, '0')}`);
      if (char === '/') options.push('\\\\/');
      if (char === '"' || char === '\\') options.push(`\\\\\\${char}`);
      const encoded = encodeURIComponent(char);
      if (encoded !== char) options.push(encoded);
      source += options.length === 1 ? options[0] : `(?:${options.join('|')})`;
    }
    pattern = new RegExp(source, 'gi');
    // Case-insensitive for the hex of escapes only would be exact; keys are case-sensitive, but a
    // false match only masks more text, never less.
    if (patterns.size > 64) patterns.clear();
    patterns.set(secret, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

function secretList(secrets: string | readonly string[] | undefined): readonly string[] {
  if (secrets === undefined) return [];
  return typeof secrets === 'string' ? [secrets] : secrets;
}

/**
 * Removes secrets from text: each given secret (the API key, a password of the base URL, ...)
 * wherever it appears, also JSON-escaped or percent-encoded, any `Bearer <token>`, and anything
 * shaped like a DeepSeek key (`sk-...`). Not for hot paths: call it on error and log text only.
 */
export function redact(text: string, secrets?: string | readonly string[] | undefined): string {
  let out = text;
  for (const secret of secretList(secrets)) {
    if (secret.length < MIN_SECRET) continue;
    if (out.includes(secret)) out = out.split(secret).join(maskKey(secret));
    if (out.includes('\\') || out.includes('%')) out = out.replace(patternFor(secret), maskKey(secret));
  }
  if (out.includes('Bearer')) out = out.replace(BEARER, 'Bearer ****');
  if (out.includes('sk-')) out = out.replace(SECRET_KEY, (match) => maskKey(match));
  return out;
}

/** The start of a long text (at most `max` characters), redacted; for error fields that quote a body. */
export function redactStart(text: string, secrets: readonly string[], max = 500): string {
  // Redact a little more than is kept, so a secret across the cut is still found.
  const longest = secrets.reduce((length, secret) => Math.max(length, secret.length * 6), 0);
  const head = text.length > max + longest ? text.slice(0, max + longest) : text;
  return redact(head, secrets);
}

/**
 * An error from elsewhere (fetch, a socket) safe to keep as a `cause`: the same error when no
 * secret appears in it, else a copy with its message, stack and causes redacted.
 */
export function redactError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error;
  const cause = (error as { cause?: unknown }).cause;
  const cleanCause = redactError(cause, secrets, depth + 1);
  const message = redact(error.message, secrets);
  const stack = error.stack === undefined ? undefined : redact(error.stack, secrets);
  if (message === error.message && stack === error.stack && cleanCause === cause) return error;
  const copy = new Error(message, cleanCause === undefined ? undefined : { cause: cleanCause });
  copy.name = error.name;
  if (stack !== undefined) copy.stack = stack;
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) (copy as { code?: unknown }).code = code;
  return copy;
}

/** A URL without user info, for logs and messages. */
export function redactUrl(url: string): string {
  const at = url.indexOf('@');
  if (at === -1) return url;
  const scheme = url.indexOf('://');
  if (scheme === -1 || at < scheme) return url;
  const hostEnd = url.indexOf('/', scheme + 3);
  if (hostEnd !== -1 && at > hostEnd) return url;
  return `${url.slice(0, scheme + 3)}****${url.slice(at)}`;
}

/** The secrets a URL carries: its user name and password, raw and percent-decoded. */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const part of [parsed.password, parsed.username]) {
    if (part === '') continue;
    out.push(part);
    try {
      const decoded = decodeURIComponent(part);
      if (decoded !== part) out.push(decoded);
    } catch {
      // A malformed escape: the raw form is enough.
    }
  }
  return out;
}
