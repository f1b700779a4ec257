import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, chunksOf, dataPayloads } from '../test-helpers.js';
import type { Emulator, EmulatorOptions } from '../types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOOL_ID = (position: string) => new RegExp(`^call_${position}_[A-Za-z0-9]{24}$`);
const noThinking = { thinking: { type: 'disabled' } };
const weatherTool = {
  type: 'function',
  function: { name: 'weather', parameters: { type: 'object', properties: {} } },
};

let emulator: Emulator;
async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

describe('non-stream chat replies', () => {
  it('sends reasoning_content in thinking mode (the default), in wire key order', async () => {
    await start({ script: [{ content: 'Paris.', reasoning: 'The capital of France is Paris.' }] });
    const reply = await chat(emulator);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    const body = reply.json;
    expect(Object.keys(body)).toEqual([
      'id',
      'object',
      'created',
      'model',
      'choices',
      'usage',
      'system_fingerprint',
    ]);
    expect(body.id).toMatch(UUID);
    expect(body.object).toBe('chat.completion');
    expect(body.system_fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(body.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Paris.', reasoning_content: 'The capital of France is Paris.' },
      logprobs: null,
      finish_reason: 'stop',
    });
    const usage = body.usage;
    expect(usage.completion_tokens).toBe(usage.completion_tokens_details.reasoning_tokens + 2);
    expect(usage.prompt_cache_hit_tokens + usage.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
    expect(usage.prompt_tokens_details.cached_tokens).toBe(usage.prompt_cache_hit_tokens);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('omits reasoning_content and completion_tokens_details when thinking is off', async () => {
    await start({ script: [{ content: 'OK', reasoning: 'ignored' }, { content: 'OK' }] });
    for (const body of [noThinking, { reasoning_effort: 'none' }]) {
      const reply = await chat(emulator, body);
      expect(reply.json.choices[0].message).toEqual({ role: 'assistant', content: 'OK' });
      expect(reply.json.usage).not.toHaveProperty('completion_tokens_details');
    }
  });

  it('sends tool calls with index, call_NN_ ids, content "" and finish_reason tool_calls', async () => {
    await start({
      script: [
        {
          toolCalls: [
            { name: 'weather', arguments: { location: 'Paris' } },
            { name: 'weather', arguments: '{"location": "Lyon"}' },
          ],
        },
      ],
    });
    const reply = await chat(emulator, { tools: [weatherTool] });
    const message = reply.json.choices[0].message;
    expect(reply.json.choices[0].finish_reason).toBe('tool_calls');
    expect(message.content).toBe('');
    expect(typeof message.reasoning_content).toBe('string');
    expect(message.tool_calls).toEqual([
      {
        index: 0,
        id: expect.stringMatching(TOOL_ID('00')),
        type: 'function',
        function: { name: 'weather', arguments: '{"location": "Paris"}' },
      },
      {
        index: 1,
        id: expect.stringMatching(TOOL_ID('01')),
        type: 'function',
        function: { name: 'weather', arguments: '{"location": "Lyon"}' },
      },
    ]);
  });

  it('returns logprobs when asked, one entry per token with top_logprobs alternatives', async () => {
    await start({ script: [{ content: 'Hello world' }] });
    const reply = await chat(emulator, { ...noThinking, logprobs: true, top_logprobs: 3 });
    const entries = reply.json.choices[0].logprobs.content;
    expect(entries.map((entry: any) => entry.token)).toEqual(['Hello', ' world']);
    expect(entries[0]).toMatchObject({ token: 'Hello', bytes: [72, 101, 108, 108, 111] });
    expect(entries[0].logprob).toBeLessThan(0);
    expect(entries[0].top_logprobs).toHaveLength(3);
    expect(entries[0].top_logprobs[0].token).toBe('Hello');
  });

  it('adds reasoning_content logprobs in thinking mode', async () => {
    await start({ script: [{ reasoning: 'Think first', content: 'OK' }] });
    const logprobs = (await chat(emulator, { logprobs: true })).json.choices[0].logprobs;
    expect(logprobs.reasoning_content.map((entry: any) => entry.token)).toEqual(['Think', ' first']);
    expect(logprobs.content.map((entry: any) => entry.token)).toEqual(['OK']);
  });

  it('answers deterministically without a script, and in JSON when JSON mode is on', async () => {
    await start();
    const first = await chat(emulator, { messages: [{ role: 'user', content: 'Ping?' }] });
    const second = await chat(emulator, { messages: [{ role: 'user', content: 'Ping?' }] });
    expect(first.json.choices[0].message.content).toContain('Ping?');
    expect(second.json.choices[0].message).toEqual(first.json.choices[0].message);
    const json = await chat(emulator, {
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'Reply in JSON.' }],
    });
    expect(JSON.parse(json.json.choices[0].message.content)).toHaveProperty('reply');
  });

  it('floods whitespace to the limit in JSON mode when the prompt never says "json"', async () => {
    await start();
    const reply = await chat(emulator, {
      response_format: { type: 'json_object' },
      max_tokens: 50,
      ...noThinking,
    });
    expect(reply.json.choices[0].finish_reason).toBe('length');
    expect(reply.json.choices[0].message.content.trim()).toBe('');
    expect(reply.json.usage.completion_tokens).toBe(50);
  });

  it('returns only the continuation for a prefix completion on /beta', async () => {
    await start({ script: [{ content: "print('hi')\n" }] });
    const reply = await chat(
      emulator,
      {
        messages: [
          { role: 'user', content: 'code' },
          { role: 'assistant', content: '```python\n', prefix: true },
        ],
      },
      '/beta/chat/completions',
    );
    expect(reply.json.choices[0].message.content).toBe("print('hi')\n");
  });

  it('cuts at stop sequences and truncates at an explicit max_tokens with finish_reason length', async () => {
    await start({
      script: [{ content: 'one two STOP three' }, { content: 'word '.repeat(100), reasoning: 'r' }],
    });
    const stopped = await chat(emulator, { ...noThinking, stop: ['STOP'] });
    expect(stopped.json.choices[0]).toMatchObject({
      message: { content: 'one two ' },
      finish_reason: 'stop',
    });
    const truncated = await chat(emulator, { max_tokens: 10 });
    expect(truncated.json.choices[0].finish_reason).toBe('length');
    expect(truncated.json.usage.completion_tokens).toBeLessThanOrEqual(10);
  });

  it.each(['length', 'content_filter', 'insufficient_system_resource', 'aborted'] as const)(
    'sends finish_reason %s on a 200 with the partial output',
    async (finishReason) => {
      await start({ script: [{ content: 'partial ans', finishReason }, { finishReason }] });
      const scripted = await chat(emulator, noThinking);
      expect(scripted.status).toBe(200);
      expect(scripted.json.choices[0]).toMatchObject({
        message: { content: 'partial ans' },
        finish_reason: finishReason,
      });
      const generated = await chat(emulator, {
        ...noThinking,
        messages: [{ role: 'user', content: 'Tell me everything' }],
      });
      const full = 'This is a reply from the plumb DeepSeek emulator to: "Tell me everything"';
      expect(generated.json.choices[0].message.content).toBe(full.slice(0, Math.ceil(full.length / 2)));
    },
  );

  it('applies usage overrides and pins ids and created with seed and now', async () => {
    const options = {
      seed: 7,
      now: () => 1_786_782_778_000,
      script: [{ content: 'x', usage: { prompt_tokens: 999 } }],
    };
    const a = await (await start(options)).url;
    const first = await chat({ url: a });
    await emulator.close();
    await start(options);
    const second = await chat(emulator);
    expect(first.json.id).toBe(second.json.id);
    expect(first.json.created).toBe(1_786_782_778);
    expect(first.json.usage.prompt_tokens).toBe(999);
  });
});

describe('streamed chat replies', () => {
  it('streams thinking-mode deltas exactly like the captures', async () => {
    await start({ script: [{ reasoning: 'We need OK.', content: 'OK then' }] });
    const reply = await chat(emulator, { stream: true, stream_options: { include_usage: true } });
    expect(reply.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const payloads = dataPayloads(reply.text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = chunksOf(reply.text);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, reasoning_content: '' });
    const deltas = chunks.map((chunk) => chunk.choices[0].delta);
    expect(deltas.slice(1, 5)).toEqual([
      { content: null, reasoning_content: 'We' },
      { content: null, reasoning_content: ' need' },
      { content: null, reasoning_content: ' OK' },
      { content: null, reasoning_content: '.' },
    ]);
    expect(deltas.slice(5, 7)).toEqual([
      { content: 'OK', reasoning_content: null },
      { content: ' then', reasoning_content: null },
    ]);
    const last = chunks.at(-1);
    expect(last.choices[0]).toEqual({
      index: 0,
      delta: { content: '', reasoning_content: null },
      logprobs: null,
      finish_reason: 'stop',
    });
    expect(last.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.usage).toBeNull();
      expect(chunk.choices[0].finish_reason).toBeNull();
    }
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(new Set(chunks.map((chunk) => chunk.created)).size).toBe(1);
    expect(Object.keys(chunks[0])).toEqual([
      'id',
      'object',
      'created',
      'model',
      'system_fingerprint',
      'choices',
      'usage',
    ]);
  });

  it('streams non-thinking deltas without any reasoning_content key, usage key absent until the end', async () => {
    await start({ script: [{ content: 'OK' }] });
    const reply = await chat(emulator, { ...noThinking, stream: true });
    const chunks = chunksOf(reply.text);
    expect(chunks.map((chunk) => chunk.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'OK' },
      { content: '' },
    ]);
    expect(reply.text).not.toContain('reasoning_content');
    expect(chunks.slice(0, -1).every((chunk) => !('usage' in chunk))).toBe(true);
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 1 });
  });

  it('streams a tool-call header fragment, then argument-only fragments', async () => {
    await start({
      script: [
        {
          reasoning: 'Use the tool.',
          toolCalls: [
            { name: 'weather', arguments: '{"location": "San Francisco"}' },
            { name: 'time', arguments: {} },
          ],
        },
      ],
    });
    const reply = await chat(emulator, { stream: true, tools: [weatherTool] });
    const deltas = chunksOf(reply.text).map((chunk) => chunk.choices[0].delta);
    const toolDeltas = deltas.filter((delta) => delta.tool_calls);
    expect(toolDeltas[0]).toEqual({
      tool_calls: [
        {
          index: 0,
          id: expect.stringMatching(TOOL_ID('00')),
          type: 'function',
          function: { name: 'weather', arguments: '' },
        },
      ],
    });
    const fragments = toolDeltas.slice(1).filter((delta) => delta.tool_calls[0].index === 0);
    expect(fragments.map((delta) => delta.tool_calls[0].function.arguments)).toEqual([
      '{',
      '"',
      'location',
      '"',
      ': ',
      '"',
      'San',
      ' Francisco',
      '"',
      '}',
    ]);
    for (const fragment of fragments)
      expect(Object.keys(fragment.tool_calls[0])).toEqual(['index', 'function']);
    const second = toolDeltas.find((delta) => delta.tool_calls[0].index === 1);
    expect(second.tool_calls[0]).toMatchObject({
      id: expect.stringMatching(TOOL_ID('01')),
      function: { name: 'time' },
    });
    const lastReasoning = deltas.findLastIndex((delta) => delta.reasoning_content);
    expect(lastReasoning).toBeLessThan(deltas.indexOf(toolDeltas[0]));
    expect(chunksOf(reply.text).at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it.each(['length', 'insufficient_system_resource', 'aborted', 'content_filter'] as const)(
    'ends a stream with finish_reason %s and usage after the partial output',
    async (finishReason) => {
      await start({ script: [{ reasoning: 'Hmm.', content: 'partial', finishReason }] });
      const reply = await chat(emulator, { stream: true });
      expect(reply.status).toBe(200);
      const chunks = chunksOf(reply.text);
      expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe('partial');
      expect(chunks.at(-1).choices[0]).toMatchObject({
        delta: { content: '', reasoning_content: null },
        finish_reason: finishReason,
      });
      expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0);
      expect(dataPayloads(reply.text).at(-1)).toBe('[DONE]');
    },
  );

  it('puts logprobs on content chunks only, and honours deltaSize', async () => {
    await start({ script: [{ content: 'abcdefgh', deltaSize: 3 }] });
    const reply = await chat(emulator, { ...noThinking, stream: true, logprobs: true, top_logprobs: 1 });
    const chunks = chunksOf(reply.text);
    expect(chunks.map((chunk) => chunk.choices[0].delta.content)).toEqual(['', 'abc', 'def', 'gh', '']);
    expect(chunks[1].choices[0].logprobs.content[0]).toMatchObject({
      token: 'abc',
      top_logprobs: [{ token: 'abc' }],
    });
    expect(chunks[0].choices[0].logprobs).toBeNull();
    expect(chunks.at(-1).choices[0].logprobs).toBeNull();
  });

  it('streams a 2 MB answer intact', async () => {
    const content = 'lorem ipsum dolor sit amet '.repeat(80_000);
    await start({ script: [{ content, deltaSize: 4096 }] });
    const reply = await chat(emulator, { ...noThinking, stream: true });
    const text = chunksOf(reply.text)
      .map((chunk) => chunk.choices[0].delta.content)
      .join('');
    expect(text).toBe(content);
  });
});

describe('prompt cache', () => {
  it('reports growing cache hits, in 64-token units, as an agent loop appends messages', async () => {
    await start();
    const messages: any[] = [
      { role: 'system', content: 'You are a meticulous research assistant. '.repeat(30) },
      { role: 'user', content: 'Summarise the report.' },
    ];
    const hits: number[] = [];
    for (let step = 0; step < 4; step++) {
      const reply = await chat(emulator, { ...noThinking, messages });
      const usage = reply.json.usage;
      hits.push(usage.prompt_cache_hit_tokens);
      expect(usage.prompt_cache_hit_tokens % 64).toBe(0);
      expect(usage.prompt_cache_hit_tokens + usage.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
      messages.push(reply.json.choices[0].message, {
        role: 'user',
        content: `Continue with part ${step + 2}. `.repeat(30),
      });
    }
    expect(hits[0]).toBe(0);
    for (let step = 1; step < hits.length; step++) expect(hits[step]).toBeGreaterThan(hits[step - 1]!);
  });

  it('reports no hits when the prompt cache is off', async () => {
    await start({ promptCache: false });
    const body = { messages: [{ role: 'user', content: 'long prompt '.repeat(100) }] };
    await chat(emulator, body);
    expect((await chat(emulator, body)).json.usage.prompt_cache_hit_tokens).toBe(0);
  });
});
