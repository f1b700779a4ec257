import type { Cost, Usage } from '@plumb/core';

/** `$0.000123` / `¥0.000123`, or `unknown` when the model has no known price. */
function formatCost(cost: Cost | undefined): string {
  if (cost === undefined) return 'unknown';
  return `${cost.currency === 'CNY' ? '¥' : '$'}${cost.total.toFixed(6)}`;
}

/** Cache-hit, miss, output and reasoning tokens of a usage record (zeros when unknown). */
function tokenParts(usage: Usage | undefined) {
  const prompt = usage?.prompt_tokens ?? 0;
  const hit = usage?.prompt_cache_hit_tokens ?? usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return { prompt, hit, miss: Math.max(0, prompt - hit), output, reasoning };
}

/** One line: tokens in (cached share), out (reasoning), cost. */
export function formatUsage(usage: Usage | undefined, cost: Cost | undefined): string {
  const t = tokenParts(usage);
  const ratio = t.prompt === 0 ? 0 : Math.round((t.hit / t.prompt) * 100);
  return (
    `usage: ${t.prompt} in (${t.hit} cached, ${ratio}% cache hit) · ${t.output} out (${t.reasoning} reasoning) · ` +
    `cost ${formatCost(cost)}`
  );
}

/** Arguments or results shown on one line, cut to `max` characters. */
export function preview(value: unknown, max = 120): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
