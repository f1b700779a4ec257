import type { ChatMessage } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { AgentConfigError } from '../errors.js';
import { assistantMessage, initialHistory, toolMessage } from './messages.js';

describe('assistantMessage / toolMessage', () => {
  it('builds messages with a fixed key order (byte-stable serialization)', () => {
    const message = assistantMessage('hi', 'why', [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(JSON.stringify(message)).toBe(
      '{"role":"assistant","content":"hi","reasoning_content":"why","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]}',
    );
    expect(JSON.stringify(assistantMessage('', '', undefined))).toBe(
      '{"role":"assistant","content":"","reasoning_content":""}',
    );
    expect(JSON.stringify(toolMessage('call_1', 'ok'))).toBe(
      '{"role":"tool","tool_call_id":"call_1","content":"ok"}',
    );
  });
});

describe('initialHistory', () => {
  it('turns a string into system + user messages', () => {
    expect(initialHistory('Hi', 'Be brief')).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(initialHistory('Hi', undefined)).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('does not add the system message again to a continued conversation', () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
    ];
    const result = initialHistory(history, 'Be brief');
    expect(result).toEqual(history);
    expect(result).not.toBe(history);
    expect(result[0]).toBe(history[0]);
  });

  it("puts the agent's system message before a different one", () => {
    const result = initialHistory(
      [
        { role: 'system', content: 'Other' },
        { role: 'user', content: 'Hi' },
      ],
      'Mine',
    );
    expect(result.map((message) => message.content)).toEqual(['Mine', 'Other', 'Hi']);
  });

  it('fills reasoning_content "" on assistant messages without it, without mutating the input', () => {
    const input: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', reasoning_content: null },
      { role: 'user', content: 'Again' },
    ];
    const result = initialHistory(input, undefined);
    expect(result[1]).toEqual({ role: 'assistant', content: 'Hello', reasoning_content: '' });
    expect(input[1]).toEqual({ role: 'assistant', content: 'Hello', reasoning_content: null });
  });

  it.each([
    [
      [
        { role: 'user', content: 'a' },
        { role: 'tool', tool_call_id: 'x', content: 'r' },
      ],
      /no preceding assistant/,
    ],
    [
      [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'user', content: 'b' },
      ],
      /never answered: c1/,
    ],
    [
      [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      /never answered: c1/,
    ],
    [[{ role: 'developer', content: 'x' }], /use 'system'/],
    [[], /empty/],
  ])('rejects an invalid history %#', (history, message) => {
    expect(() => initialHistory(history as ChatMessage[], undefined)).toThrow(AgentConfigError);
    expect(() => initialHistory(history as ChatMessage[], undefined)).toThrow(message);
  });
});
