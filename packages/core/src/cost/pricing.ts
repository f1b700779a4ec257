/**
 * DeepSeek's published prices (api-docs.deepseek.com/quick_start/pricing, in force since
 * 2026-09-10 04:00 UTC). Peak hours cost exactly twice the off-peak price.
 */
import { DeepSeekError } from '../errors/errors.js';

/** The currencies DeepSeek bills in; `Currency` is built from this list. */
export const CURRENCIES = ['USD', 'CNY'] as const;
/** Billing currency of a DeepSeek account. */
export type Currency = (typeof CURRENCIES)[number];

/** Prices per 1M tokens, in the currency's unit (dollars or yuan). */
export interface TokenPrices {
  inputCacheHit: number;
  inputCacheMiss: number;
  /** Output, reasoning tokens included. */
  output: number;
}

/** One model's prices. */
export interface ModelPrices {
  /** The model id the prices are published for. */
  model: 'deepseek-flash' | 'deepseek-v4-pro';
  offPeak: Record<Currency, TokenPrices>;
  peak: Record<Currency, TokenPrices>;
}

/** The published price table (off-peak; peak is twice as much). */
export const PRICES: Readonly<Record<'deepseek-flash' | 'deepseek-v4-pro', ModelPrices>> = Object.freeze({
  'deepseek-flash': {
    model: 'deepseek-flash',
    offPeak: {
      USD: { inputCacheHit: 0.003, inputCacheMiss: 0.15, output: 0.6 },
      CNY: { inputCacheHit: 0.02, inputCacheMiss: 1, output: 4 },
    },
    peak: {
      USD: { inputCacheHit: 0.006, inputCacheMiss: 0.3, output: 1.2 },
      CNY: { inputCacheHit: 0.04, inputCacheMiss: 2, output: 8 },
    },
  },
  'deepseek-v4-pro': {
    model: 'deepseek-v4-pro',
    offPeak: {
      USD: { inputCacheHit: 0.022, inputCacheMiss: 0.66, output: 1.98 },
      CNY: { inputCacheHit: 0.15, inputCacheMiss: 4.5, output: 13.5 },
    },
    peak: {
      USD: { inputCacheHit: 0.044, inputCacheMiss: 1.32, output: 3.96 },
      CNY: { inputCacheHit: 0.3, inputCacheMiss: 9, output: 27 },
    },
  },
});

/** Older model ids that DeepSeek still accepts (or accepted) and bills at Flash prices. */
const FLASH_ALIASES = new Set([
  'deepseek-v4-flash',
  'deepseek-v4-flash-vision-exp',
  'deepseek-chat',
  'deepseek-reasoner',
]);

/** The price entry for a model id; legacy Flash ids map to `deepseek-flash`. Throws for unknown ids. */
export function pricesFor(model: string): ModelPrices {
  const prices = knownPrices(model);
  if (prices !== undefined) return prices;
  throw new DeepSeekError(
    `No DeepSeek price is known for model '${model}'. Known models: deepseek-flash, deepseek-v4-pro ` +
      `(legacy ${[...FLASH_ALIASES].join(', ')} bill as deepseek-flash). Pass the id DeepSeek bills you for.`,
  );
}

function knownPrices(model: string): ModelPrices | undefined {
  if (model === 'deepseek-flash' || FLASH_ALIASES.has(model)) return PRICES['deepseek-flash'];
  if (model === 'deepseek-v4-pro') return PRICES['deepseek-v4-pro'];
  return undefined;
}

/** Whether DeepSeek's price table knows `model` (so `pricesFor` and `costOf` do not throw). */
export function isPriced(model: string): boolean {
  return knownPrices(model) !== undefined;
}

/**
 * Whether DeepSeek's peak price applies at this instant: Monday to Friday, 01:00-04:00 and
 * 06:00-10:00 UTC (09:00-12:00 and 14:00-18:00 Beijing). Chinese public holidays, which DeepSeek
 * bills off-peak, are not modelled.
 */
export function isPeakTime(at: Date): boolean {
  const day = at.getUTCDay();
  if (day === 0 || day === 6) return false;
  const hour = at.getUTCHours();
  return (hour >= 1 && hour < 4) || (hour >= 6 && hour < 10);
}
