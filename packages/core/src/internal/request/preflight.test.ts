import { describe, expect, it, vi } from 'vitest';
import { PreflightError } from '../../errors/errors.js';
import { deepFreeze } from '../../wire/frozen.js';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionTool,
  ChatMessage,
} from '../../wire/wire-types.js';
import { isThinking, preflightChat, preflightCompletion } from './preflight.js';

const tool = (name: string, strict?: boolean): ChatCompletionTool => ({
  type: 'function',
  function: {
    name,
    parameters: { type: 'object', properties: {} },
    ...(strict === undefined ? {} : { strict }),
  },
});

const call = (id: string, name = 'weather') => ({
  id,
  type: 'function' as const,
  function: { name, arguments: '{}' },
});

function params(extra: Partial<ChatCompletionCreateParamsBase> = {}): ChatCompletionCreateParamsBase {
  return { model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi' }], ...extra };
}

function failure(run: () => void): PreflightError {
  try {
    run();
  } catch (error) {
    if (error instanceof PreflightError) return error;
    throw error;
  }
  throw new Error('expected a PreflightError');
}

function expectRule(run: () => void, rule: string, field: string, message?: RegExp): void {
  const error = failure(run);
  expect({ rule: error.rule, field: error.field }).toEqual({ rule, field });
  if (message) expect(error.message).toMatch(message);
  expect(error.message).toMatch(/preflight: false/);
}

describe('isThinking', () => {
  it('is on by default and off with thinking disabled or reasoning_effort none', () => {
    expect(isThinking({})).toBe(true);
    expect(isThinking({ thinking: { type: 'enabled' } })).toBe(true);
    expect(isThinking({ thinking: { type: 'disabled' } })).toBe(false);
    expect(isThinking({ reasoning_effort: 'none' })).toBe(false);
    expect(isThinking({ reasoning_effort: 'low' })).toBe(true);
  });
});

describe('preflightChat', () => {
  it('accepts a well-formed tool round trip in thinking mode', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', reasoning_content: 'need tools', tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'b', content: 'sunny' },
      { role: 'tool', tool_call_id: 'a', content: 'warm' },
      { role: 'assistant', content: 'Sunny and warm.', reasoning_content: '' },
      { role: 'user', content: 'thanks' },
    ];
    expect(() => preflightChat(params({ messages, tools: [tool('weather')] }), false)).not.toThrow();
  });

  it('rejects unanswered tool calls, before the next message and at the end', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: '', tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'a', content: '1' },
      { role: 'user', content: 'y' },
    ];
    expectRule(
      () => preflightChat(params({ messages, thinking: { type: 'disabled' } }), false),
      'unanswered-tool-calls',
      'messages[1].tool_calls',
      /\bb\b/,
    );
    expectRule(
      () => preflightChat(params({ messages: messages.slice(0, 3), thinking: { type: 'disabled' } }), false),
      'unanswered-tool-calls',
      'messages[1].tool_calls',
    );
  });

  it('rejects a tool message without a matching call (also a second answer to one call)', () => {
    expectRule(
      () =>
        preflightChat(
          params({
            messages: [
              { role: 'user', content: 'x' },
              { role: 'tool', tool_call_id: 'zz', content: '1' },
            ],
          }),
          false,
        ),
      'tool-message-without-call',
      'messages[1].tool_call_id',
      /'zz'/,
    );
    const twice: ChatMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: '', tool_calls: [call('a')] },
      { role: 'tool', tool_call_id: 'a', content: '1' },
      { role: 'tool', tool_call_id: 'a', content: '1' },
    ];
    expectRule(
      () => preflightChat(params({ messages: twice, thinking: { type: 'disabled' } }), false),
      'tool-message-without-call',
      'messages[3].tool_call_id',
    );
  });

  it("rejects the developer role and points to 'system'", () => {
    const messages = [{ role: 'developer', content: 'x' }] as unknown as ChatMessage[];
    expectRule(
      () => preflightChat(params({ messages }), false),
      'developer-role',
      'messages[0].role',
      /'system'/,
    );
  });

  it('rejects an empty message list and a missing model', () => {
    expectRule(() => preflightChat(params({ messages: [] }), false), 'messages-required', 'messages');
    expectRule(() => preflightChat(params({ model: '' }), false), 'model-required', 'model');
  });

  it('rejects json_schema response formats', () => {
    const response_format = { type: 'json_schema', json_schema: {} } as unknown as { type: 'json_object' };
    expectRule(
      () => preflightChat(params({ response_format }), false),
      'response-format',
      'response_format.type',
      /json_object/,
    );
    expect(() => preflightChat(params({ response_format: { type: 'json_object' } }), false)).not.toThrow();
  });

  it('rejects a forced tool_choice in thinking mode but allows it with thinking disabled', () => {
    const tools = [tool('weather')];
    expectRule(
      () => preflightChat(params({ tools, tool_choice: 'required' }), false),
      'forced-tool-choice-thinking',
      'tool_choice',
      /disabled/,
    );
    expectRule(
      () =>
        preflightChat(
          params({
            tools,
            tool_choice: { type: 'function', function: { name: 'weather' } },
            reasoning_effort: 'high',
          }),
          false,
        ),
      'forced-tool-choice-thinking',
      'tool_choice',
    );
    expect(() =>
      preflightChat(params({ tools, tool_choice: 'required', thinking: { type: 'disabled' } }), false),
    ).not.toThrow();
    expect(() => preflightChat(params({ tools, tool_choice: 'auto' }), false)).not.toThrow();
    expectRule(
      () =>
        preflightChat(
          params({
            tools,
            tool_choice: { type: 'function', function: { name: 'nope' } },
            reasoning_effort: 'none',
          }),
          false,
        ),
      'tool-choice-unknown',
      'tool_choice.function.name',
    );
    expectRule(
      () => preflightChat(params({ tools, tool_choice: 'any' as 'auto' }), false),
      'tool-choice',
      'tool_choice',
    );
  });

  it('rejects stream_options on a request that is not streamed', () => {
    const stream_options = { include_usage: true };
    expectRule(
      () => preflightChat(params({ stream_options }), false),
      'stream-options-without-stream',
      'stream_options',
    );
    expect(() => preflightChat(params({ stream_options }), true)).not.toThrow();
  });

  it('rejects max_tokens outside [1, 393216]', () => {
    for (const max_tokens of [0, 393_217, 1.5, -3]) {
      expectRule(
        () => preflightChat(params({ max_tokens }), false),
        'max-tokens-range',
        'max_tokens',
        /393216/,
      );
    }
    expect(() => preflightChat(params({ max_tokens: 393_216 }), false)).not.toThrow();
    expect(() => preflightChat(params({ max_tokens: 1 }), false)).not.toThrow();
  });

  it('rejects more than 128 tools', () => {
    const tools = Array.from({ length: 129 }, (_, index) => tool(`t${index}`));
    expectRule(() => preflightChat(params({ tools }), false), 'too-many-tools', 'tools', /128/);
    expect(() => preflightChat(params({ tools: tools.slice(0, 128) }), false)).not.toThrow();
  });

  it('rejects invalid and duplicate tool names', () => {
    expectRule(
      () => preflightChat(params({ tools: [tool('get weather')] }), false),
      'tool-name',
      'tools[0].function.name',
    );
    expectRule(
      () => preflightChat(params({ tools: [tool('x'.repeat(129))] }), false),
      'tool-name',
      'tools[0].function.name',
    );
    expectRule(
      () => preflightChat(params({ tools: [tool('a'), tool('a')] }), false),
      'duplicate-tool-name',
      'tools[1].function.name',
    );
    expect(() => preflightChat(params({ tools: [tool('get_weather-2')] }), false)).not.toThrow();
  });

  it('checks a tool list that is not deeply frozen on every request (a frozen one is checked once)', () => {
    const tools = [tool('a')];
    expect(() => preflightChat(params({ tools }), false)).not.toThrow();
    tools.push(tool('a'));
    expectRule(
      () => preflightChat(params({ tools }), false),
      'duplicate-tool-name',
      'tools[1].function.name',
    );
    const frozen = deepFreeze([tool('a'), tool('b')]);
    expect(() => preflightChat(params({ tools: frozen }), false)).not.toThrow();
    // The names kept for a frozen list still check tool_choice.
    expectRule(
      () =>
        preflightChat(
          params({
            tools: frozen,
            thinking: { type: 'disabled' },
            tool_choice: { type: 'function', function: { name: 'c' } },
          }),
          false,
        ),
      'tool-choice-unknown',
      'tool_choice.function.name',
    );
  });

  it('rejects mixing strict and non-strict tools', () => {
    expectRule(
      () => preflightChat(params({ tools: [tool('a', true), tool('b')] }), false),
      'mixed-strict-tools',
      'tools',
      /all or nothing/,
    );
    expect(() => preflightChat(params({ tools: [tool('a', true), tool('b', true)] }), false)).not.toThrow();
  });

  it('requires reasoning_content on every assistant turn with tools in thinking mode (the replay rule)', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'plain answer' },
      { role: 'user', content: 'y' },
    ];
    expectRule(
      () => preflightChat(params({ messages, tools: [tool('a')] }), false),
      'reasoning-content-replay',
      'messages[1].reasoning_content',
      /""/,
    );
    // Not required without tools, or with thinking off.
    expect(() => preflightChat(params({ messages }), false)).not.toThrow();
    expect(() =>
      preflightChat(params({ messages, tools: [tool('a')], thinking: { type: 'disabled' } }), false),
    ).not.toThrow();
    // An empty string satisfies it; a final prefix message may omit it.
    const filled: ChatMessage[] = [
      messages[0]!,
      { role: 'assistant', content: 'plain', reasoning_content: '' },
      messages[2]!,
      { role: 'assistant', content: '```', prefix: true },
    ];
    expect(() => preflightChat(params({ messages: filled, tools: [tool('a')] }), false)).not.toThrow();
  });

  it('validates user_id', () => {
    expectRule(
      () => preflightChat(params({ user_id: 'user@example.com' }), false),
      'user-id-pattern',
      'user_id',
    );
    expectRule(
      () => preflightChat(params({ user_id: 'x'.repeat(513) }), false),
      'user-id-pattern',
      'user_id',
    );
    expect(() => preflightChat(params({ user_id: 'user_42-a' }), false)).not.toThrow();
  });

  it('warns (but does not throw) when sampling settings are set in thinking mode', () => {
    const warn = vi.fn();
    preflightChat(params({ temperature: 0.2, top_p: 0.5, presence_penalty: 1 }), false, warn);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/ignores temperature, top_p, presence_penalty/);
    expect(warn.mock.calls[0]![1]).toEqual(['temperature', 'top_p', 'presence_penalty']);
    const quiet = vi.fn();
    preflightChat(params({ temperature: 0.2, thinking: { type: 'disabled' } }), false, quiet);
    expect(quiet).not.toHaveBeenCalled();
  });
});

describe('preflightCompletion', () => {
  it('checks FIM requests', () => {
    expect(() =>
      preflightCompletion({ model: 'deepseek-flash', prompt: 'def f(', suffix: ')' }, false),
    ).not.toThrow();
    expectRule(
      () => preflightCompletion({ model: 'deepseek-flash', prompt: 'x', echo: true, suffix: 'y' }, false),
      'fim-echo',
      'echo',
    );
    expectRule(
      () => preflightCompletion({ model: 'deepseek-flash', prompt: 'x', logprobs: 21 }, false),
      'fim-logprobs',
      'logprobs',
    );
    expectRule(
      () =>
        preflightCompletion(
          { model: 'deepseek-flash', prompt: 'x', stream_options: { include_usage: true } },
          false,
        ),
      'stream-options-without-stream',
      'stream_options',
    );
    expectRule(
      () => preflightCompletion({ model: 'deepseek-flash', prompt: 'x', max_tokens: 0 }, false),
      'max-tokens-range',
      'max_tokens',
    );
  });

  it('checks the sampling numbers: a number in DeepSeek’s range, the type named otherwise', () => {
    expectRule(
      () => preflightChat(params({ temperature: 'hot' as never }), false),
      'sampling-range',
      'temperature',
      /temperature must be a number from 0 to 2, got a string \("hot"\)/,
    );
    expectRule(() => preflightChat(params({ top_p: 1.5 }), false), 'sampling-range', 'top_p');
    // top_p excludes 0 (DeepSeek's range is (0, 1]), the same rule as the agent's topP.
    expectRule(
      () => preflightChat(params({ top_p: 0 }), false),
      'sampling-range',
      'top_p',
      /top_p must be a number above 0 and at most 1, got a number \(0\)/,
    );
    expectRule(
      () => preflightChat(params({ presence_penalty: -3 }), false),
      'sampling-range',
      'presence_penalty',
    );
    expectRule(
      () => preflightCompletion({ model: 'deepseek-flash', prompt: 'x', temperature: Number.NaN }, false),
      'sampling-range',
      'temperature',
    );
    expect(() =>
      preflightChat(params({ temperature: 1.3, top_p: 0.95, frequency_penalty: 0 }), false),
    ).not.toThrow();
    expectRule(
      () => preflightChat(params({ max_tokens: '4096' as never }), false),
      'max-tokens-range',
      'max_tokens',
      /got a string \("4096"\)/,
    );
  });
});
