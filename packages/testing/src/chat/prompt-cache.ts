import { StateSlot } from '../state.js';
import { estimateTokens, tokenTenths } from '../wire/usage.js';
import {
  appendPrint,
  BASE_1,
  BASE_2,
  makePrint,
  printText,
  printTokens,
  type TextPrint,
} from './text-print.js';

/** DeepSeek stores and reports cached prefixes in 64-token units. */
export const CACHE_UNIT_TOKENS = 64;
/** Units kept per emulator; the least recently used go first. Each unit is a few numbers. */
const MAX_UNITS = 4096;
const RECENT_INPUTS = 8;

interface CacheUnit {
  /** Length of the unit's text in UTF-16 code units. */
  length: number;
  h1: number;
  h2: number;
  tokens: number;
  /** Whether the text ends with a newline (every rendered message does). */
  endsLine: boolean;
  /** Last use, for eviction. */
  used: number;
  /** The next unit in the same hash slot. */
  next: CacheUnit | undefined;
}

/** A prompt as the cache saw it: what `store` needs to remember it without scanning it again. */
export interface PromptScan {
  text: string;
  /** The partition it was scanned under (the model id for chat). */
  key: string;
  /** `estimateTokens(text)`, at least 1. */
  tokens: number;
  /** Cache-hit tokens: a multiple of 64, at most `tokens`. */
  hitTokens: number;
  print: TextPrint | undefined;
  unit: CacheUnit | undefined;
  /** Prints of the prefixes this prompt shares with recent prompts (branch points). */
  branches: TextPrint[];
}

/**
 * DeepSeek's V4 context-cache model (API reference §11), per emulator: "cache prefix units" are
 * persisted at the end of each request's input, at the end of its output (input + answer), and at
 * a common prefix detected between requests (A+B then A+C persists A). A later request whose
 * rendered prompt fully contains a unit as a prefix hits that unit's tokens, rounded down to a
 * multiple of 64; the longest such unit wins. Units under 64 tokens are never stored.
 *
 * Cost: units are fingerprints (length + hashes), never texts. `scan` is one pass over the prompt
 * (which also counts its tokens) that probes a hash table only where a unit can end: after a
 * newline (where every rendered message ends) and at the few lengths of units that end elsewhere
 * (branch points). Memory stays bounded (`maxUnits`, least recently used dropped first).
 */
/** Each emulator's prompt cache (`promptCache: false` turns it off); `reset()` empties it. */
export const PROMPT_CACHE = new StateSlot(
  (options) => new PromptCache(options.promptCache ?? true),
  (cache) => cache.clear(),
);

export class PromptCache {
  private readonly enabled: boolean;
  private readonly maxUnits: number;
  /** Units by hash slot (a small integer from length and hash), chained. */
  private readonly slots = new Map<number, CacheUnit>();
  /** Distinct lengths of units that do not end with a newline, ascending, with their counts. */
  private oddLengths: number[] = [];
  private readonly oddCounts = new Map<number, number>();
  private size = 0;
  private clock = 0;
  private recentInputs: Array<{ key: string; text: string }> = [];

  constructor(enabled: boolean, maxUnits = MAX_UNITS) {
    this.enabled = enabled;
    this.maxUnits = maxUnits;
  }

  /**
   * Token count and cache hits of a prompt; pass the result to `store` once it is answered. `key`
   * partitions the cache: DeepSeek's KV cache belongs to one model, so a prompt sent to Flash
   * never hits on Pro (the chat route passes the model id).
   */
  scan(prompt: string, key = ''): PromptScan {
    if (!this.enabled) {
      const tokens = Math.max(1, estimateTokens(prompt));
      return { text: prompt, key, tokens, hitTokens: 0, print: undefined, unit: undefined, branches: [] };
    }
    const captures = this.branchLengths(prompt, key);
    const odd = this.oddLengths;
    const probing = this.size > 0;
    let nextOdd = 0;
    let target = odd.length > 0 ? odd[0]! : -1;
    let nextCapture = 0;
    let capture = captures.length > 0 ? captures[0]! : -1;
    let unit: CacheUnit | undefined;
    const branches: TextPrint[] = [];
    // The key seeds both hashes, so equal texts under different keys are different units.
    const seed = keySeed(key);
    let h1 = seed.h1;
    let h2 = seed.h2;
    let tenths = 0;
    for (let index = 0; index < prompt.length; index++) {
      const code = prompt.charCodeAt(index);
      h1 = (Math.imul(h1, BASE_1) + code) | 0;
      h2 = (Math.imul(h2, BASE_2) + code) | 0;
      tenths += tokenTenths(code);
      const end = index + 1;
      if (probing && (code === 10 || end === target)) unit = this.find(end, h1, h2) ?? unit;
      if (end === target) {
        nextOdd++;
        target = nextOdd < odd.length ? odd[nextOdd]! : -1;
      }
      if (end === capture) {
        branches.push(makePrint(end, h1, h2, tenths, code));
        nextCapture++;
        capture = nextCapture < captures.length ? captures[nextCapture]! : -1;
      }
    }
    const last = prompt.length === 0 ? -1 : prompt.charCodeAt(prompt.length - 1);
    const print = makePrint(prompt.length, h1, h2, tenths, last);
    const tokens = Math.max(1, printTokens(print));
    const hitTokens = unit
      ? Math.min(Math.floor(unit.tokens / CACHE_UNIT_TOKENS) * CACHE_UNIT_TOKENS, tokens)
      : 0;
    return { text: prompt, key, tokens, hitTokens, print, unit, branches };
  }

  /**
   * Remember an answered request: its input, input + output (`output` as text or as a precomputed
   * print), and its branch points with recent inputs.
   */
  store(scan: PromptScan, output?: string | TextPrint | undefined): void {
    if (!this.enabled || !scan.print) return;
    if (scan.unit) scan.unit.used = ++this.clock;
    for (const branch of scan.branches) this.add(branch);
    this.add(scan.print);
    if (output !== undefined) {
      const outputPrint = typeof output === 'string' ? printText(output) : output;
      if (outputPrint.length > 0) this.add(appendPrint(scan.print, outputPrint));
    }
    this.recentInputs.unshift({ key: scan.key, text: scan.text });
    if (this.recentInputs.length > RECENT_INPUTS) this.recentInputs.pop();
  }

  clear(): void {
    this.slots.clear();
    this.oddLengths = [];
    this.oddCounts.clear();
    this.size = 0;
    this.recentInputs = [];
  }

  /** Where `prompt` leaves recent prompts that it neither extends nor is a prefix of (ascending). */
  private branchLengths(prompt: string, key: string): number[] {
    const found = new Set<number>();
    for (const recent of this.recentInputs) {
      if (recent.key !== key) continue;
      const shared = commonPrefixLength(recent.text, prompt);
      const nested = shared === recent.text.length || shared === prompt.length;
      if (!nested && shared * 0.6 >= CACHE_UNIT_TOKENS) found.add(shared);
    }
    return [...found].sort((a, b) => a - b);
  }

  private find(length: number, h1: number, h2: number): CacheUnit | undefined {
    for (let unit = this.slots.get(slot(length, h1)); unit !== undefined; unit = unit.next) {
      if (unit.length === length && unit.h1 === h1 && unit.h2 === h2) return unit;
    }
    return undefined;
  }

  private add(print: TextPrint): void {
    const tokens = printTokens(print);
    if (tokens < CACHE_UNIT_TOKENS) return;
    const existing = this.find(print.length, print.h1, print.h2);
    if (existing) {
      existing.used = ++this.clock;
      return;
    }
    const key = slot(print.length, print.h1);
    const endsLine = print.last === 10;
    this.slots.set(key, {
      length: print.length,
      h1: print.h1,
      h2: print.h2,
      tokens,
      endsLine,
      used: ++this.clock,
      next: this.slots.get(key),
    });
    if (!endsLine) {
      const count = this.oddCounts.get(print.length) ?? 0;
      this.oddCounts.set(print.length, count + 1);
      if (count === 0) this.oddLengths.splice(sortedIndex(this.oddLengths, print.length), 0, print.length);
    }
    if (++this.size > this.maxUnits) this.evictOldest();
  }

  /** Drops the least recently used quarter of the units (amortized O(log n) per unit added). */
  private evictOldest(): void {
    const units: CacheUnit[] = [];
    for (const head of this.slots.values()) {
      for (let unit: CacheUnit | undefined = head; unit !== undefined; unit = unit.next) units.push(unit);
    }
    units.sort((a, b) => a.used - b.used);
    const doomed = new Set(units.slice(0, Math.max(1, Math.floor(this.maxUnits / 4))));
    for (const unit of doomed) {
      const key = slot(unit.length, unit.h1);
      let head = this.slots.get(key);
      while (head !== undefined && doomed.has(head)) head = head.next;
      for (let kept = head; kept !== undefined; kept = kept.next) {
        while (kept.next !== undefined && doomed.has(kept.next)) kept.next = kept.next.next;
      }
      if (head === undefined) this.slots.delete(key);
      else this.slots.set(key, head);
      this.size--;
      if (unit.endsLine) continue;
      const count = this.oddCounts.get(unit.length)! - 1;
      if (count > 0) this.oddCounts.set(unit.length, count);
      else {
        this.oddCounts.delete(unit.length);
        this.oddLengths.splice(sortedIndex(this.oddLengths, unit.length), 1);
      }
    }
  }
}

/** Initial hash values for a cache partition: 0, 0 for the default (empty) key. */
function keySeed(key: string): { h1: number; h2: number } {
  if (key === '') return { h1: 0, h2: 0 };
  const print = printText(`<|model:${key}|>`);
  return { h1: print.h1, h2: print.h2 };
}

/** A small-integer hash slot for a unit (stays a V8 small integer, so lookups never allocate). */
function slot(length: number, h1: number): number {
  return (Math.imul(length, 0x9e3779b1) ^ h1) & 0x3fffffff;
}

/** The index of the first element of ascending `values` that is >= `value`. */
function sortedIndex(values: number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Length of the common prefix of `a` and `b`, comparing doubling slices natively (then halving
 * within the first slice that differs): O(shared length) work done by the engine, not a JS loop.
 */
export function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let low = 0;
  let step = 64;
  let high = limit;
  while (low < limit) {
    const end = Math.min(limit, low + step);
    if (a.slice(low, end) !== b.slice(low, end)) {
      high = end;
      break;
    }
    low = end;
    step *= 2;
  }
  while (high - low > 16) {
    const middle = (low + high) >>> 1;
    if (a.slice(low, middle) === b.slice(low, middle)) low = middle;
    else high = middle;
  }
  while (low < high && a.charCodeAt(low) === b.charCodeAt(low)) low++;
  return low;
}
