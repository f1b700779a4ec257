/** Reading and adding DeepSeek usage objects without double counting cache hits. */
import type { Usage } from '../wire/wire-types.js';

/** Zero usage, with DeepSeek's cache fields (the start of a sum such as an agent run's total). */
export function emptyUsage(): Usage {
  return {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    prompt_cache_hit_tokens: 0,
    prompt_cache_miss_tokens: 0,
  };
}

/**
 * Prompt tokens served from DeepSeek's context cache. Reads `prompt_cache_hit_tokens` and falls
 * back to `prompt_tokens_details.cached_tokens` (the same number, OpenAI's name); never adds both.
 */
export function cacheHitTokens(usage: Usage): number {
  const hit = usage.prompt_cache_hit_tokens;
  if (typeof hit === 'number') return hit;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return typeof cached === 'number' ? cached : 0;
}

/** Prompt tokens not served from cache (`prompt_cache_miss_tokens`, else prompt minus hits). */
export function cacheMissTokens(usage: Usage): number {
  const miss = usage.prompt_cache_miss_tokens;
  if (typeof miss === 'number') return miss;
  return Math.max(0, (usage.prompt_tokens ?? 0) - cacheHitTokens(usage));
}

/**
 * Share of the prompt served from cache, from 0 to 1 (0 when there were no prompt tokens).
 *
 * @example
 * cacheHitRatio(completion.usage) // 0.94
 */
export function cacheHitRatio(usage: Usage | null | undefined): number {
  if (!usage) return 0;
  const prompt = usage.prompt_tokens;
  if (!(prompt > 0)) return 0;
  return Math.min(1, cacheHitTokens(usage) / prompt);
}

function hasCacheFields(usage: Usage): boolean {
  return (
    usage.prompt_cache_hit_tokens !== undefined ||
    usage.prompt_cache_miss_tokens !== undefined ||
    usage.prompt_tokens_details?.cached_tokens !== undefined
  );
}

/**
 * Adds two usages (for example the steps of an agent run). Cache hits are normalized first, so a
 * usage that only has `prompt_tokens_details.cached_tokens` adds up correctly with one that has
 * DeepSeek's own fields. Either side may be missing.
 *
 * @example
 * const total = steps.reduce((sum, step) => addUsage(sum, step.usage), undefined);
 */
export function addUsage(a: Usage | null | undefined, b: Usage | null | undefined): Usage {
  if (!a && !b) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const left = a ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const right = b ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const sum: Usage = {
    prompt_tokens: (left.prompt_tokens ?? 0) + (right.prompt_tokens ?? 0),
    completion_tokens: (left.completion_tokens ?? 0) + (right.completion_tokens ?? 0),
    total_tokens: (left.total_tokens ?? 0) + (right.total_tokens ?? 0),
  };
  if (hasCacheFields(left) || hasCacheFields(right)) {
    const hit = cacheHitTokens(left) + cacheHitTokens(right);
    sum.prompt_tokens_details = { cached_tokens: hit };
    sum.prompt_cache_hit_tokens = hit;
    sum.prompt_cache_miss_tokens = cacheMissTokens(left) + cacheMissTokens(right);
  }
  const leftReasoning = left.completion_tokens_details?.reasoning_tokens;
  const rightReasoning = right.completion_tokens_details?.reasoning_tokens;
  if (leftReasoning !== undefined || rightReasoning !== undefined) {
    sum.completion_tokens_details = { reasoning_tokens: (leftReasoning ?? 0) + (rightReasoning ?? 0) };
  }
  return sum;
}
