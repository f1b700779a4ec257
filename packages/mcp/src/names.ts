import { createHash } from 'node:crypto';
import { MAX_TOOL_NAME_LENGTH } from '@plumb/tools';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `[a-zA-Z0-9_-]` only: every other run of characters becomes one `_`. */
export function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'tool' : cleaned;
}

/** Fits `base` into DeepSeek's limit; a cut name gets a hash of `original` so it stays unique. */
function fit(base: string, original: string): string {
  if (base.length <= MAX_TOOL_NAME_LENGTH) return base;
  const suffix = `_${shortHash(original)}`;
  return base.slice(0, MAX_TOOL_NAME_LENGTH - suffix.length) + suffix;
}

/**
 * The names the model sees for a server's tools, by original name: sanitized to what DeepSeek
 * accepts, prefixed (`${prefix}_${name}`), at most 64 characters. Two originals that sanitize to
 * the same name are told apart deterministically: in code-unit order of the originals, the first
 * keeps the name and the others get `_` + a hash of their original name. The result depends only
 * on the set of names, never on the order the server listed them in.
 */
export function modelNames(originals: readonly string[], prefix: string): Map<string, string> {
  const sorted = [...new Set(originals)].sort();
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const original of sorted) {
    const base = prefix === '' ? sanitizeName(original) : `${prefix}_${sanitizeName(original)}`;
    let name = fit(base, original);
    if (taken.has(name))
      name = fit(`${base.slice(0, MAX_TOOL_NAME_LENGTH - 9)}_${shortHash(original)}`, original);
    for (let n = 2; taken.has(name); n++) name = fit(`${base}_${n}`, `${original}#${n}`);
    taken.add(name);
    names.set(original, name);
  }
  return names;
}
