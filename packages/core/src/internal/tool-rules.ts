/**
 * DeepSeek's rules for the `tools` of a request, in one place: how many, what a name may be, no
 * name twice, strict all or nothing. Pre-flight checks every request's `tools` with them, and
 * `@plumb/tools` checks a tool set when it is built (with messages that name tools and packs).
 */

/** DeepSeek's limit on `tools` per request. */
export const MAX_TOOLS = 128;

/** The longest tool name DeepSeek accepts (documented 64 until August 2026, 128 since). */
const DEEPSEEK_MAX_TOOL_NAME_LENGTH = 128;

const NAME_CHARACTERS = /^[a-zA-Z0-9_-]+$/;

/** What is wrong with a tool name, if anything. */
export type ToolNameProblem = 'not-a-string' | 'empty' | 'characters' | 'too-long';

/** Checks a tool name: a non-empty string of letters, digits, `_` and `-`, at most `maxLength` long. */
export function toolNameProblem(
  name: unknown,
  maxLength: number = DEEPSEEK_MAX_TOOL_NAME_LENGTH,
): ToolNameProblem | undefined {
  if (typeof name !== 'string') return 'not-a-string';
  if (name.length === 0) return 'empty';
  if (!NAME_CHARACTERS.test(name)) return 'characters';
  if (name.length > maxLength) return 'too-long';
  return undefined;
}

/** The index of the first name that an earlier one already has, or -1. */
export function firstDuplicate(names: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (seen.has(name)) return i;
    seen.add(name);
  }
  return -1;
}

/**
 * Strict mode is all or nothing per request: when some but not all of `strict` are true, the
 * first strict and the first non-strict index (and how many are strict); otherwise undefined.
 */
export function mixedStrict(
  strict: readonly boolean[],
): { readonly strictIndex: number; readonly looseIndex: number; readonly count: number } | undefined {
  const count = strict.filter(Boolean).length;
  if (count === 0 || count === strict.length) return undefined;
  return { strictIndex: strict.indexOf(true), looseIndex: strict.indexOf(false), count };
}
