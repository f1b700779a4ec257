import { describe, expect, it } from 'vitest';
import { DeepSeekError } from '../errors/errors.js';
import type { Usage } from '../wire/wire-types.js';
import { addCost, costIn, costOf, emptyCost } from './cost.js';
import { isPeakTime, isPriced, pricesFor } from './pricing.js';
import { addUsage, cacheHitRatio, emptyUsage } from './usage.js';

// deepseek-tool-call capture: 339 prompt tokens, 320 from cache, 83 completion tokens.
const toolCallUsage: Usage = {
  prompt_tokens: 339,
  completion_tokens: 83,
  total_tokens: 422,
  prompt_tokens_details: { cached_tokens: 320 },
  completion_tokens_details: { reasoning_tokens: 39 },
  prompt_cache_hit_tokens: 320,
  prompt_cache_miss_tokens: 19,
};

const tuesdayPeak = new Date('2026-11-03T02:30:00Z');
const tuesdayOffPeak = new Date('2026-11-03T04:00:00Z');
const saturdayPeakHour = new Date('2026-11-07T02:30:00Z');

describe('isPeakTime', () => {
  it('is peak 01:00-04:00 and 06:00-10:00 UTC on weekdays only', () => {
    expect(isPeakTime(new Date('2026-11-02T01:00:00Z'))).toBe(true);
    expect(isPeakTime(new Date('2026-11-02T03:59:59Z'))).toBe(true);
    expect(isPeakTime(tuesdayOffPeak)).toBe(false);
    expect(isPeakTime(new Date('2026-11-03T05:59:59Z'))).toBe(false);
    expect(isPeakTime(new Date('2026-11-03T06:00:00Z'))).toBe(true);
    expect(isPeakTime(new Date('2026-11-03T09:59:59Z'))).toBe(true);
    expect(isPeakTime(new Date('2026-11-03T10:00:00Z'))).toBe(false);
    expect(isPeakTime(new Date('2026-11-03T00:59:59Z'))).toBe(false);
    expect(isPeakTime(saturdayPeakHour)).toBe(false);
    expect(isPeakTime(new Date('2026-11-08T07:00:00Z'))).toBe(false);
  });
});

describe('costOf', () => {
  it('prices cache hits, misses and output off-peak in USD by default currency', () => {
    expect(costOf(toolCallUsage, 'deepseek-flash', { at: tuesdayOffPeak })).toEqual({
      currency: 'USD',
      inputCacheHit: 0.00000096,
      inputCacheMiss: 0.00000285,
      output: 0.0000498,
      total: 0.00005361,
      peak: false,
      pricedAs: 'deepseek-flash',
    });
  });

  it('charges twice as much at peak time', () => {
    const offPeak = costOf(toolCallUsage, 'deepseek-flash', { at: tuesdayOffPeak });
    const peak = costOf(toolCallUsage, 'deepseek-flash', { at: tuesdayPeak });
    expect(peak.peak).toBe(true);
    expect(peak.total).toBe(0.00010722);
    expect(peak.total).toBe(offPeak.total * 2);
    expect(costOf(toolCallUsage, 'deepseek-flash', { at: saturdayPeakHour }).total).toBe(offPeak.total);
  });

  it('uses the published deepseek-v4-pro prices in CNY', () => {
    const million: Usage = {
      prompt_tokens: 2_000_000,
      completion_tokens: 1_000_000,
      total_tokens: 3_000_000,
      prompt_cache_hit_tokens: 1_000_000,
      prompt_cache_miss_tokens: 1_000_000,
    };
    expect(costOf(million, 'deepseek-v4-pro', { at: tuesdayOffPeak, currency: 'CNY' })).toMatchObject({
      inputCacheHit: 0.15,
      inputCacheMiss: 4.5,
      output: 13.5,
      total: 18.15,
    });
    expect(costOf(million, 'deepseek-v4-pro', { at: tuesdayPeak, currency: 'CNY' })).toMatchObject({
      inputCacheHit: 0.3,
      inputCacheMiss: 9,
      output: 27,
      total: 36.3,
    });
    expect(costOf(million, 'deepseek-flash', { at: tuesdayPeak, currency: 'USD' })).toMatchObject({
      inputCacheHit: 0.006,
      inputCacheMiss: 0.3,
      output: 1.2,
    });
  });

  it('sums exactly where naive floating point would not (0.000000753, not 0.000000752999...)', () => {
    const one: Usage = {
      prompt_tokens: 2,
      completion_tokens: 1,
      total_tokens: 3,
      prompt_cache_hit_tokens: 1,
      prompt_cache_miss_tokens: 1,
    };
    expect(costOf(one, 'deepseek-flash', { at: tuesdayOffPeak }).total).toBe(7.53e-7);
  });

  it('bills legacy Flash ids as deepseek-flash', () => {
    for (const model of [
      'deepseek-v4-flash',
      'deepseek-v4-flash-vision-exp',
      'deepseek-chat',
      'deepseek-reasoner',
    ]) {
      expect(costOf(toolCallUsage, model, { at: tuesdayOffPeak })).toMatchObject({
        pricedAs: 'deepseek-flash',
        total: 0.00005361,
      });
    }
  });

  it('falls back to prompt_tokens_details.cached_tokens and never counts a hit twice', () => {
    const openAiStyle: Usage = {
      prompt_tokens: 339,
      completion_tokens: 83,
      total_tokens: 422,
      prompt_tokens_details: { cached_tokens: 320 },
    };
    expect(costOf(openAiStyle, 'deepseek-flash', { at: tuesdayOffPeak }).total).toBe(0.00005361);
  });

  it('throws a clear error for an unknown model, currency or date', () => {
    expect(() => costOf(toolCallUsage, 'gpt-5')).toThrow(DeepSeekError);
    expect(() => costOf(toolCallUsage, 'gpt-5')).toThrow(
      /No DeepSeek price is known for model 'gpt-5'.*deepseek-flash/,
    );
    expect(() => costOf(toolCallUsage, 'deepseek-flash', { currency: 'EUR' as 'USD' })).toThrow(
      /'USD' or 'CNY'/,
    );
    expect(() => costOf(toolCallUsage, 'deepseek-flash', { at: new Date('nope') })).toThrow(/valid Date/);
    expect(() => costOf({ ...toolCallUsage, completion_tokens: -1 }, 'deepseek-flash')).toThrow(
      /completion_tokens/,
    );
  });

  it('costs nothing for missing usage', () => {
    expect(costOf(undefined, 'deepseek-flash', { at: tuesdayPeak }).total).toBe(0);
  });

  it('matches the published table (deepseek-api.md 12.1) for every model, currency and time of day', () => {
    // [model, currency, off-peak hit/miss/output, peak hit/miss/output], per 1M tokens.
    const table: Array<[string, 'USD' | 'CNY', [number, number, number], [number, number, number]]> = [
      ['deepseek-flash', 'USD', [0.003, 0.15, 0.6], [0.006, 0.3, 1.2]],
      ['deepseek-flash', 'CNY', [0.02, 1, 4], [0.04, 2, 8]],
      ['deepseek-v4-pro', 'USD', [0.022, 0.66, 1.98], [0.044, 1.32, 3.96]],
      ['deepseek-v4-pro', 'CNY', [0.15, 4.5, 13.5], [0.3, 9, 27]],
    ];
    const million: Usage = {
      prompt_tokens: 2_000_000,
      completion_tokens: 1_000_000,
      total_tokens: 3_000_000,
      prompt_cache_hit_tokens: 1_000_000,
      prompt_cache_miss_tokens: 1_000_000,
    };
    for (const [model, currency, offPeak, peak] of table) {
      for (const [at, [hit, miss, output]] of [
        [tuesdayOffPeak, offPeak],
        [tuesdayPeak, peak],
      ] as const) {
        const cost = costOf(million, model, { at, currency });
        expect([cost.inputCacheHit, cost.inputCacheMiss, cost.output], `${model} ${currency}`).toEqual([
          hit,
          miss,
          output,
        ]);
        expect(cost.currency).toBe(currency);
      }
      const prices = pricesFor(model);
      expect(prices.offPeak[currency]).toEqual({
        inputCacheHit: offPeak[0],
        inputCacheMiss: offPeak[1],
        output: offPeak[2],
      });
      expect(prices.peak[currency]).toEqual({
        inputCacheHit: peak[0],
        inputCacheMiss: peak[1],
        output: peak[2],
      });
    }
  });

  it('exposes the price table', () => {
    expect(pricesFor('deepseek-v4-pro').offPeak.USD).toEqual({
      inputCacheHit: 0.022,
      inputCacheMiss: 0.66,
      output: 1.98,
    });
  });
});

describe('cacheHitRatio', () => {
  it('divides cache hits by prompt tokens', () => {
    expect(cacheHitRatio(toolCallUsage)).toBe(320 / 339);
  });

  it('reads cached_tokens when DeepSeek fields are absent, without double counting', () => {
    expect(
      cacheHitRatio({
        prompt_tokens: 100,
        completion_tokens: 0,
        total_tokens: 100,
        prompt_tokens_details: { cached_tokens: 64 },
      }),
    ).toBe(0.64);
    expect(
      cacheHitRatio({
        prompt_tokens: 100,
        completion_tokens: 0,
        total_tokens: 100,
        prompt_cache_hit_tokens: 64,
        prompt_tokens_details: { cached_tokens: 64 },
      }),
    ).toBe(0.64);
  });

  it('is 0 without prompt tokens or usage', () => {
    expect(cacheHitRatio({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })).toBe(0);
    expect(cacheHitRatio(undefined)).toBe(0);
  });
});

describe('addUsage', () => {
  it('adds every field, normalizing cache hits from either spelling', () => {
    const openAiStyle: Usage = {
      prompt_tokens: 100,
      completion_tokens: 10,
      total_tokens: 110,
      prompt_tokens_details: { cached_tokens: 64 },
    };
    expect(addUsage(toolCallUsage, openAiStyle)).toEqual({
      prompt_tokens: 439,
      completion_tokens: 93,
      total_tokens: 532,
      prompt_tokens_details: { cached_tokens: 384 },
      prompt_cache_hit_tokens: 384,
      prompt_cache_miss_tokens: 55,
      completion_tokens_details: { reasoning_tokens: 39 },
    });
  });

  it('treats a missing side as zero', () => {
    expect(addUsage(undefined, toolCallUsage)).toEqual({
      ...toolCallUsage,
      completion_tokens_details: { reasoning_tokens: 39 },
    });
    expect(addUsage(null, undefined)).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('leaves cache fields out when neither side has them', () => {
    expect(
      addUsage(
        { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      ),
    ).toEqual({
      prompt_tokens: 2,
      completion_tokens: 4,
      total_tokens: 6,
    });
  });
});

describe('cost arithmetic (the sums of an agent run)', () => {
  const flash = costOf(toolCallUsage, 'deepseek-flash', { at: tuesdayOffPeak });
  const pro = costOf(toolCallUsage, 'deepseek-v4-pro', { at: tuesdayPeak });

  it('starts from zero and adds exactly, in billionths', () => {
    const start = emptyCost('USD', 'deepseek-flash');
    expect(start.total).toBe(0);
    let total: ReturnType<typeof addCost> = start;
    for (let i = 0; i < 10; i++) total = addCost(total, flash);
    expect(total?.total).toBe(Math.round(flash.total * 10 * 1e9) / 1e9);
    expect(total?.pricedAs).toBe('deepseek-flash');
    expect(emptyUsage()).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 0,
    });
  });

  it('marks a sum of two models as mixed and a peak part as peak', () => {
    const both = addCost(flash, pro);
    expect(both?.pricedAs).toBe('mixed');
    expect(both?.peak).toBe(true);
  });

  it('is unknown when a part is unknown or the currencies differ', () => {
    expect(addCost(flash, undefined)).toBeUndefined();
    expect(addCost(undefined, flash)).toBeUndefined();
    expect(
      addCost(flash, costOf(toolCallUsage, 'deepseek-flash', { at: tuesdayOffPeak, currency: 'CNY' })),
    ).toBeUndefined();
  });

  it('costIn prices the usage again in the other currency, or gives up for mixed models', () => {
    expect(costIn(flash, toolCallUsage, 'USD')).toBe(flash);
    const yuan = costIn(flash, toolCallUsage, 'CNY');
    expect(yuan?.currency).toBe('CNY');
    expect(yuan?.pricedAs).toBe('deepseek-flash');
    expect(costIn(addCost(flash, pro), toolCallUsage, 'CNY')).toBeUndefined();
    expect(costIn(undefined, toolCallUsage, 'CNY')).toBeUndefined();
  });

  it('isPriced says whether pricesFor would throw', () => {
    expect(isPriced('deepseek-flash')).toBe(true);
    expect(isPriced('deepseek-v4-pro')).toBe(true);
    expect(isPriced('deepseek-v9')).toBe(false);
    expect(() => pricesFor('deepseek-v9')).toThrow(DeepSeekError);
  });
});

describe('costOf currency', () => {
  it('refuses another currency, listing every accepted one', () => {
    expect(() => costOf(toolCallUsage, 'deepseek-flash', { currency: 'EUR' as never })).toThrow(
      "costOf: currency must be 'USD' or 'CNY', got 'EUR'.",
    );
  });
});
