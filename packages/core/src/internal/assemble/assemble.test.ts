import { describe, expect, it } from 'vitest';
import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  CompletionChunk,
} from '../../wire/wire-types.js';
import { ChatCompletionAssembler } from './assemble.js';
import { CompletionAssembler } from './assemble-completion.js';

function chunk(
  choice: Partial<ChatCompletionChunkChoice>,
  extra: Partial<ChatCompletionChunk> = {},
): ChatCompletionChunk {
  return {
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1786782776,
    model: 'deepseek-flash',
    system_fingerprint: 'fp1',
    choices: [{ index: 0, delta: {}, finish_reason: null, ...choice }],
    ...extra,
  };
}

const usage = {
  prompt_tokens: 18,
  completion_tokens: 219,
  total_tokens: 237,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 205 },
  prompt_cache_hit_tokens: 0,
  prompt_cache_miss_tokens: 18,
};

describe('ChatCompletionAssembler', () => {
  it('concatenates every reasoning and content fragment (not only the last)', () => {
    const assembler = new ChatCompletionAssembler();
    assembler.add(
      chunk({ delta: { role: 'assistant', content: null, reasoning_content: '' } }, { usage: null }),
    );
    assembler.add(chunk({ delta: { content: null, reasoning_content: 'We' } }, { usage: null }));
    assembler.add(chunk({ delta: { content: null, reasoning_content: ' count.' } }, { usage: null }));
    assembler.add(chunk({ delta: { content: 'Three', reasoning_content: null } }, { usage: null }));
    assembler.add(chunk({ delta: { content: ' rs.', reasoning_content: null } }, { usage: null }));
    expect(assembler.isFinished()).toBe(false);
    assembler.add(
      chunk({ delta: { content: '', reasoning_content: null }, finish_reason: 'stop' }, { usage }),
    );
    expect(assembler.isFinished()).toBe(true);
    expect(assembler.chunks).toBe(6);
    expect(assembler.result()).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 1786782776,
      model: 'deepseek-flash',
      system_fingerprint: 'fp1',
      usage,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Three rs.', reasoning_content: 'We count.' },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
    });
  });

  it('leaves reasoning_content out for a non-thinking stream', () => {
    const assembler = new ChatCompletionAssembler();
    assembler.add(chunk({ delta: { role: 'assistant', content: '' } }));
    assembler.add(chunk({ delta: { content: 'OK' } }));
    assembler.add(chunk({ delta: { content: '' }, finish_reason: 'stop' }));
    const message = assembler.result().choices[0]!.message;
    expect(message).toEqual({ role: 'assistant', content: 'OK' });
    expect('reasoning_content' in message).toBe(false);
  });

  it('assembles parallel tool calls by index with their exact argument strings', () => {
    const assembler = new ChatCompletionAssembler();
    const calls = (tool_calls: NonNullable<ChatCompletionChunkChoice['delta']['tool_calls']>) =>
      assembler.add(chunk({ delta: { tool_calls } }));
    calls([{ index: 0, id: 'call_00_a', type: 'function', function: { name: 'weather', arguments: '' } }]);
    calls([{ index: 0, function: { arguments: '{"loc' } }]);
    calls([{ index: 1, id: 'call_01_b', type: 'function', function: { name: 'time', arguments: '' } }]);
    calls([{ index: 0, function: { arguments: 'ation": "San Francisco"}' } }]);
    calls([{ index: 1, function: { arguments: '{"tz": "PST"' } }]);
    calls([{ index: 1, function: { arguments: '}' } }]);
    assembler.add(chunk({ delta: { content: '' }, finish_reason: 'tool_calls' }));
    expect(assembler.result().choices[0]!.message.tool_calls).toEqual([
      {
        index: 0,
        id: 'call_00_a',
        type: 'function',
        function: { name: 'weather', arguments: '{"location": "San Francisco"}' },
      },
      { index: 1, id: 'call_01_b', type: 'function', function: { name: 'time', arguments: '{"tz": "PST"}' } },
    ]);
  });

  it('keeps truncated tool-call arguments as they arrived (no repair)', () => {
    const assembler = new ChatCompletionAssembler();
    assembler.add(
      chunk({
        delta: {
          tool_calls: [
            { index: 0, id: 'call_00_x', type: 'function', function: { name: 'f', arguments: '{"a": ' } },
          ],
        },
      }),
    );
    assembler.add(chunk({ delta: {}, finish_reason: 'length' }));
    expect(assembler.result().choices[0]!.message.tool_calls?.[0]?.function.arguments).toBe('{"a": ');
  });

  it('concatenates content and reasoning logprobs across chunks', () => {
    const token = (text: string) => ({ token: text, logprob: -0.5, bytes: null, top_logprobs: [] });
    const assembler = new ChatCompletionAssembler();
    assembler.add(
      chunk({
        delta: { reasoning_content: 'Think' },
        logprobs: { content: null, reasoning_content: [token('Think')] },
      }),
    );
    assembler.add(chunk({ delta: { content: 'A' }, logprobs: { content: [token('A')] } }));
    assembler.add(chunk({ delta: { content: 'B' }, logprobs: { content: [token('B')] } }));
    assembler.add(chunk({ delta: { content: '' }, logprobs: null, finish_reason: 'stop' }));
    expect(assembler.result().choices[0]!.logprobs).toEqual({
      content: [token('A'), token('B')],
      reasoning_content: [token('Think')],
    });
  });

  it('reads usage from an OpenAI-style usage-only chunk after the finish chunk', () => {
    const assembler = new ChatCompletionAssembler();
    assembler.add(chunk({ delta: { content: 'x' }, finish_reason: 'stop' }));
    assembler.add({ ...chunk({}), choices: [], usage });
    expect(assembler.isFinished()).toBe(true);
    expect(assembler.result().usage).toEqual(usage);
  });

  it('is not finished before any choice arrived, and snapshots partial state', () => {
    const assembler = new ChatCompletionAssembler();
    expect(assembler.isFinished()).toBe(false);
    assembler.add(chunk({ delta: { content: 'partial' } }));
    expect(assembler.snapshot().choices[0]).toMatchObject({
      finish_reason: null,
      message: { content: 'partial' },
    });
  });

  it('keeps finish reasons DeepSeek uses for partial answers', () => {
    for (const reason of ['insufficient_system_resource', 'aborted', 'content_filter'] as const) {
      const assembler = new ChatCompletionAssembler();
      assembler.add(chunk({ delta: { content: 'cut' }, finish_reason: reason }));
      expect(assembler.result().choices[0]!.finish_reason).toBe(reason);
    }
  });
});

describe('CompletionAssembler', () => {
  const fim = (
    text: string,
    finish: CompletionChunk['choices'][number]['finish_reason'] = null,
  ): CompletionChunk => ({
    id: 'f1',
    object: 'text_completion',
    created: 1,
    model: 'deepseek-flash',
    choices: [
      {
        index: 0,
        text,
        finish_reason: finish,
        logprobs: { tokens: [text], token_logprobs: [-1], text_offset: [0], top_logprobs: [] },
      },
    ],
  });

  it('concatenates text pieces and logprobs', () => {
    const assembler = new CompletionAssembler();
    assembler.add(fim('def '));
    assembler.add(fim('fib'));
    expect(assembler.isFinished()).toBe(false);
    assembler.add({ ...fim('', 'stop'), usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
    const result = assembler.result();
    expect(result.choices[0]).toMatchObject({ text: 'def fib', finish_reason: 'stop' });
    expect(result.choices[0]!.logprobs?.tokens).toEqual(['def ', 'fib', '']);
    expect(result.usage?.total_tokens).toBe(5);
  });
});
