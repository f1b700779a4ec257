import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../wire/usage.js';
import { commonPrefixLength, PromptCache } from './prompt-cache.js';

const system = `<|system|>${'You are a careful assistant. '.repeat(40)}\n`;
const tokens = (text: string) => estimateTokens(text);
const units = (text: string) => Math.floor(tokens(text) / 64) * 64;

/** One served request: its hit tokens, then it is remembered. */
function serve(cache: PromptCache, input: string, output?: string): number {
  const scan = cache.scan(input);
  cache.store(scan, output);
  return scan.hitTokens;
}

describe('PromptCache', () => {
  it('counts prompt tokens like estimateTokens, enabled or not', () => {
    for (const cache of [new PromptCache(true), new PromptCache(false)]) {
      expect(cache.scan(system).tokens).toBe(tokens(system));
      expect(cache.scan('').tokens).toBe(1);
    }
  });

  it('misses on first sight, then hits the stored input rounded down to 64 tokens', () => {
    const cache = new PromptCache(true);
    const input = `${system}<|user|>Hello\n`;
    expect(serve(cache, input)).toBe(0);
    const hit = serve(cache, input);
    expect(hit).toBe(units(input));
    expect(hit % 64).toBe(0);
    expect(hit).toBeGreaterThan(0);
  });

  it('hits the longest unit: input + output of the previous step in an appending loop', () => {
    const cache = new PromptCache(true);
    const step1 = `${system}<|user|>What is the weather?\n`;
    const answer = `<|assistant|>${'Sunny and warm. '.repeat(30)}\n`;
    serve(cache, step1, answer);
    const step2 = `${step1 + answer}<|user|>And tomorrow?\n`;
    expect(serve(cache, step2)).toBe(units(step1 + answer));
    expect(units(step1 + answer)).toBeGreaterThan(units(step1));
  });

  it('never hits a different text of the same length', () => {
    const cache = new PromptCache(true);
    const input = `${system}<|user|>Question A\n`;
    serve(cache, input);
    expect(serve(cache, `${system.replace('careful', 'CAREFUL')}<|user|>Question A\n`)).toBe(0);
  });

  it('persists a common prefix after two requests diverge (A+B, A+C, then A+D hits A)', () => {
    const cache = new PromptCache(true);
    const a = `${system}<|user|>Document: ${'lorem ipsum '.repeat(60)}`;
    serve(cache, `${a}question B\n`);
    expect(serve(cache, `${a}question C\n`)).toBe(0);
    expect(serve(cache, `${a}question D\n`)).toBe(units(`${a}question `));
  });

  it('finds branch points among interleaved requests of different conversations', () => {
    const cache = new PromptCache(true);
    const other = `<|system|>${'Another agent entirely. '.repeat(40)}\n<|user|>x\n`;
    const a = `${system}<|user|>${'first task '.repeat(20)}`;
    serve(cache, `${a}step 1\n`);
    serve(cache, other);
    serve(cache, `${a}step 2 (a branch)\n`);
    serve(cache, other);
    expect(serve(cache, `${a}step 3\n`)).toBe(units(`${a}step `));
  });

  it('never stores units under 64 tokens and reports nothing when disabled', () => {
    const cache = new PromptCache(true);
    serve(cache, '<|user|>short\n', '<|assistant|>ok\n');
    expect(serve(cache, '<|user|>short\n<|assistant|>ok\n')).toBe(0);
    const off = new PromptCache(false);
    serve(off, system);
    expect(serve(off, system)).toBe(0);
  });

  it('keeps at most maxUnits units, dropping the least recently used', () => {
    const cache = new PromptCache(true, 4);
    const prompts = ['a', 'b', 'c', 'd'].map((name) => `${name}${system}`);
    for (const prompt of prompts) serve(cache, prompt);
    expect(serve(cache, prompts[0]!)).toBeGreaterThan(0);
    serve(cache, `e${system}`);
    expect(serve(cache, prompts[1]!)).toBe(0);
    expect(serve(cache, prompts[0]!)).toBeGreaterThan(0);
  });

  it('forgets everything on clear()', () => {
    const cache = new PromptCache(true);
    serve(cache, system);
    cache.clear();
    expect(serve(cache, system)).toBe(0);
  });
});

describe('commonPrefixLength', () => {
  it('finds the first difference at any position', () => {
    const base = 'x'.repeat(5000);
    for (const at of [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 1000, 4095, 4999]) {
      const other = `${base.slice(0, at)}y${base.slice(at + 1)}`;
      expect(commonPrefixLength(base, other)).toBe(at);
    }
    expect(commonPrefixLength(base, base)).toBe(5000);
    expect(commonPrefixLength(base, base.slice(0, 300))).toBe(300);
    expect(commonPrefixLength('', 'abc')).toBe(0);
  });
});
