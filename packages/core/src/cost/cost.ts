/** Money spent on one request (or a sum of usages), from DeepSeek's price table. */
import { describeValue } from '../client/check-options.js';
import { DeepSeekError } from '../errors/errors.js';
import type { Usage } from '../wire/wire-types.js';
import { CURRENCIES, type Currency, isPeakTime, isPriced, pricesFor, type TokenPrices } from './pricing.js';
import { cacheHitTokens, cacheMissTokens } from './usage.js';

/** Options of `costOf`. */
export interface CostOptions {
  /** When the request ran: decides peak or off-peak price. @default new Date() */
  at?: Date | undefined;
  /** The account's billing currency. @default 'USD' */
  currency?: Currency | undefined;
}

/** A cost breakdown, in dollars or yuan. */
export interface Cost {
  currency: Currency;
  inputCacheHit: number;
  inputCacheMiss: number;
  /** Output tokens, reasoning included. */
  output: number;
  total: number;
  /** Whether the peak price was used. */
  peak: boolean;
  /** The price-table model the usage was billed as (legacy ids bill as `deepseek-flash`). */
  pricedAs: string;
}

const NANO = 1e9;

/** Price per 1M tokens -> billionths of the currency unit per token (an exact integer). */
function nanoPerToken(pricePerMillion: number): number {
  return Math.round(pricePerMillion * 1000);
}

function tokenCount(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DeepSeekError(
      `costOf: usage.${field} must be a non-negative number, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * What a request cost, from its `usage`, the model and the time it ran (DeepSeek bills peak hours
 * at twice the off-peak price). Sums are exact: each part is computed in billionths of the unit.
 *
 * @example
 * const cost = costOf(completion.usage, 'deepseek-flash', { at: new Date(), currency: 'USD' });
 * console.log(`$${cost.total.toFixed(6)}`);
 */
export function costOf(usage: Usage | null | undefined, model: string, options: CostOptions = {}): Cost {
  const currency = options.currency ?? 'USD';
  if (!(CURRENCIES as readonly unknown[]).includes(currency)) {
    throw new DeepSeekError(
      `costOf: currency must be ${CURRENCIES.map((value) => `'${value}'`).join(' or ')}, got '${String(currency)}'.`,
    );
  }
  const at = options.at ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new DeepSeekError('costOf: `at` must be a valid Date (the time the request ran).');
  }
  const table = pricesFor(model);
  const peak = isPeakTime(at);
  const prices: TokenPrices = (peak ? table.peak : table.offPeak)[currency];
  const safe = usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  tokenCount(safe.prompt_tokens, 'prompt_tokens');
  const hitTokens = tokenCount(cacheHitTokens(safe), 'prompt_cache_hit_tokens');
  const missTokens = tokenCount(cacheMissTokens(safe), 'prompt_cache_miss_tokens');
  const outputTokens = tokenCount(safe.completion_tokens, 'completion_tokens');
  const hit = hitTokens * nanoPerToken(prices.inputCacheHit);
  const miss = missTokens * nanoPerToken(prices.inputCacheMiss);
  const output = outputTokens * nanoPerToken(prices.output);
  return {
    currency,
    inputCacheHit: hit / NANO,
    inputCacheMiss: miss / NANO,
    output: output / NANO,
    total: (hit + miss + output) / NANO,
    peak,
    pricedAs: table.model,
  };
}

/** Zero cost in `currency`, priced as `model` (the start of a sum such as an agent run's total). */
export function emptyCost(currency: Currency, model: string): Cost {
  return { currency, inputCacheHit: 0, inputCacheMiss: 0, output: 0, total: 0, peak: false, pricedAs: model };
}

/** Costs are exact in billionths of the unit (see costOf); keep sums free of float drift. */
function sum(a: number, b: number): number {
  return Math.round((a + b) * NANO) / NANO;
}

/**
 * Adds two costs of the same currency. Undefined if either is unknown (a model without a price) or
 * the currencies differ: a total never adds dollars to yuan. `pricedAs` becomes `mixed` when the
 * two were billed as different models.
 */
export function addCost(a: Cost | undefined, b: Cost | undefined): Cost | undefined {
  if (a === undefined || b === undefined || a.currency !== b.currency) return undefined;
  return {
    currency: a.currency,
    inputCacheHit: sum(a.inputCacheHit, b.inputCacheHit),
    inputCacheMiss: sum(a.inputCacheMiss, b.inputCacheMiss),
    output: sum(a.output, b.output),
    total: sum(a.total, b.total),
    peak: a.peak || b.peak,
    pricedAs: a.pricedAs === b.pricedAs ? a.pricedAs : 'mixed',
  };
}

/**
 * A cost in `currency`: unchanged when it already is, else `usage` priced again in `currency`
 * (now), or undefined when that is impossible (its models were `mixed`). A sub-agent may bill in
 * another currency than its parent; this keeps the parent's total in one currency.
 */
export function costIn(cost: Cost | undefined, usage: Usage, currency: Currency): Cost | undefined {
  if (cost === undefined || cost.currency === currency) return cost;
  if (!isPriced(cost.pricedAs)) return undefined;
  return costOf(usage, cost.pricedAs, { at: new Date(), currency });
}
