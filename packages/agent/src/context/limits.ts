import type { DeepSeek } from '@plumb/core';

/** A model's context window and output limit, in tokens. */
export interface ModelLimits {
  contextWindow: number;
  maxOutputTokens: number;
}

/**
 * DeepSeek's published limits (API reference §1.3 and §12): every V4-era model has a 1M-token
 * window and up to 384K output tokens. Used when `context.window` is not given.
 */
const KNOWN: Record<string, ModelLimits> = {
  'deepseek-flash': { contextWindow: 1_048_576, maxOutputTokens: 393_216 },
  'deepseek-v4-pro': { contextWindow: 1_048_576, maxOutputTokens: 393_216 },
  'deepseek-v4-flash': { contextWindow: 1_048_576, maxOutputTokens: 393_216 },
  'deepseek-v4-flash-vision-exp': { contextWindow: 1_048_576, maxOutputTokens: 393_216 },
};

const FALLBACK: ModelLimits = { contextWindow: 1_048_576, maxOutputTokens: 393_216 };

/** The table's limits for a model id (DeepSeek's 1M / 384K for unknown ids). */
export function knownLimits(model: string): ModelLimits {
  return KNOWN[model] ?? FALLBACK;
}

const listed = new WeakMap<DeepSeek, Promise<Map<string, Partial<ModelLimits>>>>();

/**
 * The limits `GET /models` reports for `model` (`context_window`, `max_output_tokens`), asked
 * once per client; the table's values where the server gives none or the call fails.
 */
export async function modelsLimits(
  client: DeepSeek,
  model: string,
  signal: AbortSignal,
): Promise<ModelLimits> {
  let entries = listed.get(client);
  if (entries === undefined) {
    entries = client.models.list({ signal }).then((list) => {
      const map = new Map<string, Partial<ModelLimits>>();
      for (const entry of list.data) {
        const limits: Partial<ModelLimits> = {};
        if (typeof entry.context_window === 'number') limits.contextWindow = entry.context_window;
        if (typeof entry.max_output_tokens === 'number') limits.maxOutputTokens = entry.max_output_tokens;
        map.set(entry.id, limits);
      }
      return map;
    });
    listed.set(client, entries);
    // A failed lookup is not cached: the next run asks again.
    entries.catch(() => listed.delete(client));
  }
  const known = knownLimits(model);
  const found = (await entries).get(model) ?? {};
  return {
    contextWindow: found.contextWindow ?? known.contextWindow,
    maxOutputTokens: found.maxOutputTokens ?? known.maxOutputTokens,
  };
}
