import { estimateTokens } from '../wire/usage.js';

/** DeepSeek stores and reports cached prefixes in 64-token units. */
export const CACHE_UNIT_TOKENS = 64;
const MAX_UNITS = 2000;
const RECENT_INPUTS = 8;

interface CacheUnit {
  text: string;
  tokens: number;
}

/**
 * DeepSeek's V4 context-cache model (API reference §11), per emulator: "cache prefix units" are
 * persisted at the end of each request's input, at the end of its output (input + answer), and at
 * a common prefix detected between requests (A+B then A+C persists A). A later request whose
 * rendered prompt fully contains a unit as a prefix hits that unit's tokens, rounded down to a
 * multiple of 64; the longest such unit wins. Units under 64 tokens are never stored.
 */
export class PromptCache {
  /** Sorted by text length, longest first. */
  private units: CacheUnit[] = [];
  private readonly seen = new Set<string>();
  private recentInputs: string[] = [];
  private readonly enabled: boolean;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /** Cache-hit tokens for a prompt (a multiple of 64, at most `promptTokens`). */
  lookup(prompt: string, promptTokens: number): number {
    if (!this.enabled) return 0;
    for (const unit of this.units) {
      if (unit.text.length <= prompt.length && prompt.startsWith(unit.text)) {
        return Math.min(Math.floor(unit.tokens / CACHE_UNIT_TOKENS) * CACHE_UNIT_TOKENS, promptTokens);
      }
    }
    return 0;
  }

  /** Remember a served request: its input, input + output, and branch points with recent inputs. */
  store(input: string, output: string | undefined): void {
    if (!this.enabled) return;
    for (const recent of this.recentInputs) {
      const shared = commonPrefixLength(recent, input);
      if (shared < recent.length && shared < input.length) this.add(input.slice(0, shared));
    }
    this.add(input);
    if (output) this.add(input + output);
    this.recentInputs.unshift(input);
    if (this.recentInputs.length > RECENT_INPUTS) this.recentInputs.pop();
  }

  clear(): void {
    this.units = [];
    this.seen.clear();
    this.recentInputs = [];
  }

  private add(text: string): void {
    if (text.length * 0.6 < CACHE_UNIT_TOKENS || this.seen.has(text)) return;
    const tokens = estimateTokens(text);
    if (tokens < CACHE_UNIT_TOKENS) return;
    this.seen.add(text);
    let low = 0;
    let high = this.units.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.units[middle]!.text.length >= text.length) low = middle + 1;
      else high = middle;
    }
    this.units.splice(low, 0, { text, tokens });
    if (this.units.length > MAX_UNITS) {
      const dropped = this.units.pop()!;
      this.seen.delete(dropped.text);
    }
  }
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}
