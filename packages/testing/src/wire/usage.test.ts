import { describe, expect, it } from 'vitest';
import { buildUsage, estimateTokens, truncateToTokens } from './usage.js';

describe('estimateTokens', () => {
  it('counts 0.3 token per ASCII character and 0.6 per CJK character, at least 1', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('a'.repeat(10))).toBe(3);
    expect(estimateTokens('a'.repeat(11))).toBe(4);
    expect(estimateTokens('我是一个助手')).toBe(4);
  });
});

describe('truncateToTokens', () => {
  it('keeps the longest prefix within the budget, without splitting surrogate pairs', () => {
    expect(truncateToTokens('a'.repeat(20), 3)).toBe('a'.repeat(10));
    expect(estimateTokens(truncateToTokens('hello world '.repeat(50), 17))).toBeLessThanOrEqual(17);
    expect(truncateToTokens('😀😀😀', 1)).toBe('😀');
  });
});

describe('buildUsage', () => {
  it('keeps DeepSeek key order and sums, with reasoning details only in thinking mode', () => {
    const thinking = buildUsage({
      promptTokens: 100,
      cacheHitTokens: 64,
      completionTokens: 30,
      reasoningTokens: 20,
    });
    expect(Object.keys(thinking)).toEqual([
      'prompt_tokens',
      'completion_tokens',
      'total_tokens',
      'prompt_tokens_details',
      'completion_tokens_details',
      'prompt_cache_hit_tokens',
      'prompt_cache_miss_tokens',
    ]);
    expect(thinking).toMatchObject({
      total_tokens: 130,
      prompt_tokens_details: { cached_tokens: 64 },
      completion_tokens_details: { reasoning_tokens: 20 },
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    });
    const plain = buildUsage({
      promptTokens: 9,
      cacheHitTokens: 0,
      completionTokens: 1,
      reasoningTokens: undefined,
    });
    expect(plain).not.toHaveProperty('completion_tokens_details');
  });

  it('applies overrides verbatim', () => {
    const usage = buildUsage(
      { promptTokens: 9, cacheHitTokens: 0, completionTokens: 1, reasoningTokens: undefined },
      { completion_tokens: 500 },
    );
    expect(usage.completion_tokens).toBe(500);
    expect(Object.keys(usage)[1]).toBe('completion_tokens');
  });
});
