import { PackInputError } from '../errors.js';

/**
 * A compiled glob: `*` (within one path segment), `**` (any number of segments), `?`, `[abc]`,
 * `[!a-z]` and `{a,b}`. A pattern without `/` matches the file name alone (`*.ts`); with `/` it
 * matches the path relative to the search folder (`src/*.ts`; `**` as a segment spans folders).
 *
 * Matching works segment by segment without regular expressions, in time proportional to
 * path length times pattern length, so a hostile pattern cannot hang the process.
 */
export interface Glob {
  matches(relativePath: string, name: string): boolean;
}

const MAX_PATTERN = 500;
const MAX_ALTERNATIVES = 64;

/** Compiles a glob pattern; a malformed one is a {@link PackInputError}. */
export function compileGlob(pattern: string, options: { caseSensitive: boolean }): Glob {
  if (pattern === '' || pattern.length > MAX_PATTERN) {
    throw new PackInputError('invalid_glob', `The name pattern must be 1 to ${MAX_PATTERN} characters long.`);
  }
  checkSupported(pattern);
  const fold = (text: string) => (options.caseSensitive ? text : text.toLowerCase());
  const alternatives = expandBraces(fold(pattern)).map((alternative) =>
    alternative.split('/').filter((segment) => segment !== '' && segment !== '.'),
  );
  const byName = !pattern.includes('/');
  return {
    matches(relativePath, name) {
      if (byName) return alternatives.some((segments) => matchSegment(segments[0]!, fold(name)));
      const parts = fold(relativePath).split('/');
      return alternatives.some((segments) => matchPath(segments, parts));
    },
  };
}

const SUPPORTED = 'Supported: * (within a name), ** (any folders), ?, [abc], [!a-z], {a,b} and \\ to escape.';

/**
 * Refuses syntax other glob tools accept but this matcher does not, which would otherwise be
 * read literally and silently match nothing: a leading `!` (negation), extglobs `!(a|b)`,
 * `+(a|b)`, `@(a|b)`, `*(a|b)`, `?(a|b)`, and a `[` without its `]`.
 */
function checkSupported(pattern: string): void {
  const refuse = (what: string, instead: string) => {
    throw new PackInputError(
      'unsupported_glob',
      `The name pattern uses ${what}, which is not supported. ${instead} ${SUPPORTED}`,
    );
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      i++;
      continue;
    }
    if ('!+@*?'.includes(char) && pattern[i + 1] === '(') {
      refuse(
        `"${char}(...)" (an extended glob)`,
        'Write alternatives with braces instead: "*.{ts,tsx}", "{src,test}/**/*.ts".',
      );
    }
    if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1)
        refuse('a "[" without a closing "]"', 'Close the bracket, or write \\[ for a literal "[".');
      i = close;
    }
  }
  if (pattern.startsWith('!')) {
    refuse(
      'a leading "!" (negation)',
      'Search without the exclusion and leave out the results you do not want, or list the names you want with {a,b}.',
    );
  }
}

/** `{a,b}c` -> `ac`, `bc` (nested braces allowed), capped at 64 alternatives. */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const results: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) {
        for (const rest of expandBraces(pattern.slice(bounds[k]! + 1, bounds[k + 1]) + tail)) {
          results.push(head + rest);
          if (results.length > MAX_ALTERNATIVES) {
            throw new PackInputError(
              'invalid_glob',
              `The name pattern expands to more than ${MAX_ALTERNATIVES} alternatives.`,
            );
          }
        }
      }
      return results;
    } else if (char === ',' && depth === 1) commas.push(i);
  }
  throw new PackInputError('invalid_glob', `The name pattern "${pattern}" has a "{" without a matching "}".`);
}

/** Matches path segments, where a `**` segment stands for any number of segments. */
function matchPath(pattern: string[], parts: string[]): boolean {
  const seen = new Set<number>();
  const visit = (p: number, s: number): boolean => {
    const key = p * (parts.length + 1) + s;
    if (seen.has(key)) return false;
    seen.add(key);
    if (p === pattern.length) return s === parts.length;
    if (pattern[p] === '**') return visit(p + 1, s) || (s < parts.length && visit(p, s + 1));
    return s < parts.length && matchSegment(pattern[p]!, parts[s]!) && visit(p + 1, s + 1);
  };
  return visit(0, 0);
}

/** Wildcard match of one segment (`*`, `?`, `[...]`) with single-star backtracking: O(n·m). */
export function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
      continue;
    }
    const step = p < pattern.length ? matchOne(pattern, p, text[t]!) : 0;
    if (step > 0) {
      p += step;
      t++;
    } else if (starP !== -1) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** How many pattern characters matched `char` at `p` (0 = no match). */
function matchOne(pattern: string, p: number, char: string): number {
  const token = pattern[p]!;
  if (token === '?') return 1;
  if (token === '\\' && p + 1 < pattern.length) return pattern[p + 1] === char ? 2 : 0;
  if (token !== '[') return token === char ? 1 : 0;
  const close = pattern.indexOf(']', p + 2);
  if (close === -1) return char === '[' ? 1 : 0;
  let i = p + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let found = false;
  for (; i < close; i++) {
    if (pattern[i + 1] === '-' && i + 2 < close) {
      if (char >= pattern[i]! && char <= pattern[i + 2]!) found = true;
      i += 2;
    } else if (pattern[i] === char) {
      found = true;
    }
  }
  return found !== negate ? close - p + 1 : 0;
}
