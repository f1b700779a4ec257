/** Keeping the API key out of logs and error messages. */

const BEARER = /Bearer\s+[^\s"',;]+/g;
const SECRET_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;

/** `****abcd`: the last four characters, enough to tell keys apart, as DeepSeek itself prints them. */
export function maskKey(key: string): string {
  return key.length > 8 ? `****${key.slice(-4)}` : '****';
}

/**
 * Removes secrets from text: the given key wherever it appears, any `Bearer <token>`, and anything
 * shaped like a DeepSeek key (`sk-...`). Not for hot paths: call it on error and log text only.
 */
export function redact(text: string, key?: string | undefined): string {
  let out = text;
  if (key && key.length >= 4 && out.includes(key)) out = out.split(key).join(maskKey(key));
  if (out.includes('Bearer')) out = out.replace(BEARER, 'Bearer ****');
  if (out.includes('sk-')) out = out.replace(SECRET_KEY, (match) => maskKey(match));
  return out;
}

/** A URL without user info or query secrets, for logs and messages. */
export function redactUrl(url: string): string {
  const at = url.indexOf('@');
  if (at === -1) return url;
  const scheme = url.indexOf('://');
  if (scheme === -1 || at < scheme) return url;
  const hostEnd = url.indexOf('/', scheme + 3);
  if (hostEnd !== -1 && at > hostEnd) return url;
  return `${url.slice(0, scheme + 3)}****${url.slice(at)}`;
}
