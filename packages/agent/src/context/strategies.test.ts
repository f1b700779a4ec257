import type { ChatMessage } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { ContextGuardError, clearToolResults, dropOldestTurns } from '../index.js';
import { ruleTokens, TokenEstimator } from './estimate.js';
import { checkRewrite } from './guards.js';
import type { CompactionInput } from './strategy.js';

/** A history: system, task, then `steps` assistant turns with one call and a long result each. */
function history(steps: number): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a crawler.' },
    { role: 'user', content: 'Crawl every page.' },
  ];
  for (let i = 0; i < steps; i++) {
    const id = `call_00_${i}`;
    messages.push({
      role: 'assistant',
      content: '',
      reasoning_content: `Reasoning of step ${i}.`,
      tool_calls: [{ id, type: 'function', function: { name: 'fetch_page', arguments: `{"page": ${i}}` } }],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: `page ${i}: ${'x'.repeat(400)}` });
  }
  return messages;
}

function input(messages: ChatMessage[], excess: number): CompactionInput {
  return {
    messages,
    excess,
    tokensOf: (message) => ruleTokens(JSON.stringify(message)),
    client: undefined as never,
    signal: new AbortController().signal,
    userId: undefined,
    currency: 'USD',
  };
}

function firstChange(before: readonly ChatMessage[], after: readonly ChatMessage[]): number {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  return i;
}

describe('clearToolResults', () => {
  it('clears the newest eligible results first, only as many as needed, and never the last ones', async () => {
    const messages = history(10);
    const out = await clearToolResults({ keepLast: 2 }).compact(input(messages, 200));
    const after = out?.messages ?? [];
    expect(after).toHaveLength(messages.length);
    const cleared = after.flatMap((message, i) =>
      message.role === 'tool' && String(message.content).startsWith('[result cleared') ? [i] : [],
    );
    // Each result frees ~110 tokens: two are enough, taken just before the two kept blocks.
    expect(cleared).toEqual([15, 17]);
    expect(firstChange(messages, after)).toBe(15);
    expect(checkRewrite('test', messages, after, true)).toBe(after);
    // Assistant turns (and their reasoning) are the same objects.
    for (let i = 0; i < after.length; i++)
      if (after[i]?.role === 'assistant') expect(after[i]).toBe(messages[i]);
  });

  it('frees nothing when every result is already cleared or kept', async () => {
    const strategy = clearToolResults({ keepLast: 2 });
    const once = await strategy.compact(input(history(3), 10_000));
    expect(await strategy.compact(input(once?.messages ?? [], 10_000))).toBeUndefined();
  });
});

describe('dropOldestTurns', () => {
  it('drops whole assistant turns with their results after the pinned task, and says so', async () => {
    const messages = history(6);
    const out = await dropOldestTurns({ keepLast: 2 }).compact(input(messages, 300));
    const after = out?.messages ?? [];
    expect(after.slice(0, 2)).toEqual(messages.slice(0, 2));
    expect(after[2]).toEqual({
      role: 'user',
      content: '[4 earlier messages were dropped to fit the context window.]',
    });
    expect(after.slice(3)).toEqual(messages.slice(6));
    expect(checkRewrite('test', messages, after, true)).toBe(after);
  });
});

describe('the compaction guards', () => {
  it('refuse a history that splits a call from its result', () => {
    const messages = history(3);
    const split = messages.filter((_, i) => i !== 3);
    expect(() => checkRewrite('prepareStep', messages, split, true)).toThrow(ContextGuardError);
    expect(() => checkRewrite('prepareStep', messages, split, true)).toThrow(/call_00_0.*no tool message/);
    const orphan = [...messages.slice(0, 2), ...messages.slice(3)];
    expect(() => checkRewrite('prepareStep', messages, orphan, true)).toThrow(
      /answers tool call "call_00_0"/,
    );
  });

  it('refuse dropped or changed reasoning_content in thinking mode, and allow it with thinking off', () => {
    const messages = history(2);
    const stripped = messages.map((message) => {
      if (message.role !== 'assistant') return message;
      const { reasoning_content: _dropped, ...rest } = message;
      return rest;
    });
    expect(() => checkRewrite('summarize', messages, stripped, true)).toThrow(/without reasoning_content/);
    expect(checkRewrite('summarize', messages, stripped, false)).toBe(stripped);
    const changed = messages.map((message) =>
      message.role === 'assistant' ? { ...message, reasoning_content: 'shorter' } : message,
    );
    expect(() => checkRewrite('summarize', messages, changed, true)).toThrow(
      /changed the turn's reasoning_content/,
    );
    expect(() => checkRewrite('prepareStep', messages, [], true)).toThrow(/non-empty array/);
  });
});

describe('TokenEstimator', () => {
  it("counts with DeepSeek's rule, then scales by what the server reported", () => {
    expect(ruleTokens('abcdefghij')).toBe(3);
    expect(ruleTokens('中文字')).toBe(2);
    const estimator = new TokenEstimator('');
    const messages: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(1000) }];
    const ruled = estimator.requestTokens(messages);
    estimator.calibrate(ruled * 2, estimator.requestTenths(messages));
    expect(estimator.ratio).toBeCloseTo(2);
    expect(estimator.requestTokens(messages)).toBe(ruled * 2);
  });
});
