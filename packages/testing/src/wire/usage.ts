/**
 * Deterministic token accounting. DeepSeek's rule of thumb: one English character is about 0.3
 * token and one Chinese character about 0.6 token. The emulator counts exactly that: 3 tenths
 * per UTF-16 unit, 6 tenths for CJK and other wide characters (U+2E80 and up), rounded up, and at
 * least 1 for any non-empty text.
 */

/** Tenths of a token for one UTF-16 code unit. */
export function tokenTenths(code: number): number {
  return code >= 0x2e80 && (code < 0xd800 || code > 0xdfff) ? 6 : 3;
}

/** Estimated token count of `text` (0 for the empty string, else at least 1). */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let tenths = 0;
  for (let i = 0; i < text.length; i++) tenths += tokenTenths(text.charCodeAt(i));
  return Math.max(1, Math.ceil(tenths / 10));
}

/** The longest prefix of `text` whose estimate fits in `tokens` (never splits a surrogate pair). */
export function truncateToTokens(text: string, tokens: number): string {
  const budget = tokens * 10;
  let tenths = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const width = code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
    const cost = width === 2 ? 6 : tokenTenths(code);
    if (tenths + cost > budget) break;
    tenths += cost;
    end += width;
  }
  return text.slice(0, end);
}

/** The counts a usage object is built from. */
export interface UsageCounts {
  promptTokens: number;
  cacheHitTokens: number;
  completionTokens: number;
  /** Present in thinking mode only (DeepSeek omits `completion_tokens_details` otherwise). */
  reasoningTokens: number | undefined;
}

/**
 * DeepSeek's usage object, keys in wire order: `prompt_tokens`, `completion_tokens`,
 * `total_tokens`, `prompt_tokens_details`, [`completion_tokens_details`],
 * `prompt_cache_hit_tokens`, `prompt_cache_miss_tokens`. `overrides` replace fields verbatim.
 */
export function buildUsage(
  counts: UsageCounts,
  overrides?: Partial<Record<string, unknown>>,
): Record<string, unknown> {
  const usage: Record<string, unknown> = {
    prompt_tokens: counts.promptTokens,
    completion_tokens: counts.completionTokens,
    total_tokens: counts.promptTokens + counts.completionTokens,
    prompt_tokens_details: { cached_tokens: counts.cacheHitTokens },
  };
  if (counts.reasoningTokens !== undefined) {
    usage.completion_tokens_details = { reasoning_tokens: counts.reasoningTokens };
  }
  usage.prompt_cache_hit_tokens = counts.cacheHitTokens;
  usage.prompt_cache_miss_tokens = counts.promptTokens - counts.cacheHitTokens;
  if (overrides) Object.assign(usage, overrides);
  return usage;
}
