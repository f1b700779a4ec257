import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../wire/usage.js';
import { PromptCache } from './prompt-cache.js';

const system = `<|system|>${'You are a careful assistant. '.repeat(40)}\n`;
const tokens = (text: string) => estimateTokens(text);

describe('PromptCache', () => {
  it('misses on first sight, then hits the stored input rounded down to 64 tokens', () => {
    const cache = new PromptCache(true);
    const input = `${system}<|user|>Hello\n`;
    expect(cache.lookup(input, tokens(input))).toBe(0);
    cache.store(input, undefined);
    const hit = cache.lookup(input, tokens(input));
    expect(hit).toBe(Math.floor(tokens(input) / 64) * 64);
    expect(hit % 64).toBe(0);
  });

  it('hits the longest unit: input + output of the previous step in an appending loop', () => {
    const cache = new PromptCache(true);
    const step1 = `${system}<|user|>What is the weather?\n`;
    const answer = `<|assistant|>${'Sunny and warm. '.repeat(30)}\n`;
    cache.store(step1, answer);
    const step2 = `${step1 + answer}<|user|>And tomorrow?\n`;
    expect(cache.lookup(step2, tokens(step2))).toBe(Math.floor(tokens(step1 + answer) / 64) * 64);
  });

  it('persists a common prefix after two requests diverge (A+B, A+C, then A+D hits A)', () => {
    const cache = new PromptCache(true);
    const a = `${system}<|user|>Document: ${'lorem ipsum '.repeat(60)}`;
    cache.store(`${a}question B\n`, undefined);
    expect(cache.lookup(`${a}question C\n`, 1000)).toBe(0);
    cache.store(`${a}question C\n`, undefined);
    const third = `${a}question D\n`;
    const hit = cache.lookup(third, tokens(third));
    expect(hit).toBeGreaterThan(0);
    expect(hit).toBe(Math.floor(tokens(`${a}question `) / 64) * 64);
  });

  it('never stores units under 64 tokens and reports nothing when disabled', () => {
    const cache = new PromptCache(true);
    cache.store('<|user|>short\n', '<|assistant|>ok\n');
    expect(cache.lookup('<|user|>short\n<|assistant|>ok\n', 10)).toBe(0);
    const off = new PromptCache(false);
    off.store(system, undefined);
    expect(off.lookup(system, tokens(system))).toBe(0);
  });
});
