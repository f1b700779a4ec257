import type { Usage } from '@plumb/core';

/**
 * Token usage under the AI SDK's names (`LanguageModelUsage`), for `result.totalUsage`. plumb's
 * `result.usage` keeps DeepSeek's wire names (`prompt_tokens`, `prompt_cache_hit_tokens`, ...),
 * which the contract fixes; this is the same total, named the way AI SDK users read it.
 */
export interface LanguageModelUsage {
  /** `prompt_tokens`. */
  inputTokens: number;
  /** `completion_tokens` (reasoning included). */
  outputTokens: number;
  /** `total_tokens`. */
  totalTokens: number;
  /** `completion_tokens_details.reasoning_tokens`. */
  reasoningTokens: number;
  /** `prompt_cache_hit_tokens`: input served from DeepSeek's context cache. */
  cachedInputTokens: number;
  inputTokenDetails: { noCacheTokens: number; cacheReadTokens: number };
  outputTokenDetails: { textTokens: number; reasoningTokens: number };
}

/** `usage` under the AI SDK's names. */
export function aiSdkUsage(usage: Usage): LanguageModelUsage {
  const cached = usage.prompt_cache_hit_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    reasoningTokens: reasoning,
    cachedInputTokens: cached,
    inputTokenDetails: {
      noCacheTokens: usage.prompt_cache_miss_tokens ?? usage.prompt_tokens - cached,
      cacheReadTokens: cached,
    },
    outputTokenDetails: { textTokens: usage.completion_tokens - reasoning, reasoningTokens: reasoning },
  };
}
