import { scriptedModel as fromSubpath } from '@plumb/agent/testing';
import { type AssistantMessage, RateLimitError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  AgentConfigError,
  AgentRunError,
  deepseekModel,
  type Model,
  type ModelRequest,
  type ModelTurn,
  partialTurnOf,
  type StepMiddleware,
  withPartialTurn,
  wrapModel,
} from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';
import { scriptedModel } from '../testing/index.js';

/** A hand-written model: calls get_weather for each city it is asked about, then answers. */
function weatherModel(): Model & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    modelId: 'deepseek-flash',
    requests,
    async turn(request) {
      requests.push({ ...request, messages: request.messages.slice() });
      const last = request.messages.at(-1);
      if (last?.role === 'tool') {
        // A plain, unfrozen message without reasoning_content: the loop makes it history-ready.
        return {
          message: { role: 'assistant', content: `It is ${last.content}.` },
          usage: undefined,
          finishReason: 'stop',
        };
      }
      const message: AssistantMessage = {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      };
      return {
        message,
        usage: {
          prompt_tokens: 50,
          completion_tokens: 5,
          total_tokens: 55,
          prompt_cache_hit_tokens: 0,
          prompt_cache_miss_tokens: 50,
        },
        finishReason: 'tool_calls',
      };
    },
  };
}

describe('the model seam', () => {
  it('a custom model object drives a whole run with a tool call, no HTTP', async () => {
    const model = weatherModel();
    const cities: string[] = [];
    const agent = new Agent({ model, instructions: 'Be brief.', tools: [weatherTool(cities)] });
    expect(agent.model).toBe('deepseek-flash');
    const result = await agent.run('Weather in Oslo?', { runId: 'seam-1' });

    expect(cities).toEqual(['Oslo']);
    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('It is {"city":"Oslo","celsius":21}.');
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool_calls', 'stop']);
    expect(result.usage.prompt_tokens).toBe(50);
    expect(result.cost?.total).toBeGreaterThan(0);
    // Every request carried the agent's tools and where the turn is.
    expect(model.requests.map((request) => [request.runId, request.stepIndex])).toEqual([
      ['seam-1', 0],
      ['seam-1', 1],
    ]);
    expect(model.requests[0]?.tools?.map((definition) => definition.function.name)).toEqual(['get_weather']);
    expect(model.requests[0]?.onDelta).toBeUndefined();
    // DeepSeek's replay rule in the history: reasoning_content on every assistant turn, content a string.
    expect(result.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: '',
        reasoning_content: '',
        tool_calls: [
          { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w', content: '{"city":"Oslo","celsius":21}' },
      { role: 'assistant', content: 'It is {"city":"Oslo","celsius":21}.', reasoning_content: '' },
    ]);
    expect(Object.isFrozen(result.messages[2])).toBe(true);
  });

  it("streams the model's deltas as events, and asks for none in run()", async () => {
    const model = scriptedModel([{ reasoning: 'Think.', content: 'Answer.' }]);
    const agent = new Agent({ model });
    const events: string[] = [];
    for await (const event of agent.stream('hi')) {
      if (event.type === 'reasoning-delta' || event.type === 'text-delta')
        events.push(`${event.type} ${event.stepIndex} ${event.text}`);
    }
    expect(events).toEqual(['reasoning-delta 0 Think.', 'text-delta 0 Answer.']);
    expect(typeof model.requests[0]?.onDelta).toBe('function');
    model.assertDone();
  });

  it('middleware sees every turn, can change the request and the turn, first middleware outermost', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] }, { content: 'Warm.' }],
    });
    const seen: string[] = [];
    const model = wrapModel(deepseekModel('deepseek-flash', { client: clientFor(emulator) }), [
      {
        wrapTurn: async (request, next) => {
          seen.push(`outer ${request.stepIndex} temperature=${request.temperature}`);
          const turn = await next(request);
          seen.push(`outer done ${turn.finishReason}`);
          if (turn.finishReason !== 'stop') return turn;
          return { ...turn, message: { ...turn.message, content: `${turn.message.content} (checked)` } };
        },
      },
      {
        transformRequest: (request) => {
          seen.push(`transform ${request.stepIndex}`);
          return { ...request, temperature: 0.2, maxTokens: 900 };
        },
        wrapTurn: async (request, next, inner) => {
          seen.push(`inner ${request.stepIndex} temperature=${request.temperature} ${inner.modelId}`);
          return next(request);
        },
      },
    ]);
    const result = await new Agent({ model, tools: [weatherTool()] }).run('Rome?');

    expect(result.text).toBe('Warm. (checked)');
    expect(result.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Warm. (checked)' });
    expect(seen).toEqual([
      'outer 0 temperature=undefined',
      'transform 0',
      'inner 0 temperature=0.2 deepseek-flash',
      'outer done tool_calls',
      'outer 1 temperature=undefined',
      'transform 1',
      'inner 1 temperature=0.2 deepseek-flash',
      'outer done stop',
    ]);
    // The changed settings reached the wire.
    const bodies = chatRequests(emulator).map((request) => request.body);
    expect(bodies.map((body) => [body.temperature, body.max_tokens])).toEqual([
      [0.2, 900],
      [0.2, 900],
    ]);
  });

  it("a prepareStep model change is served by the agent's model, its middleware included", async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] }, { content: 'Warm.' }],
    });
    const seen: string[] = [];
    const model = wrapModel(deepseekModel('deepseek-flash', { client: clientFor(emulator) }), {
      wrapTurn: (request, next) => {
        seen.push(`${request.stepIndex}: ${request.modelId ?? 'own'}`);
        return next(request);
      },
    });
    const agent = new Agent({
      model,
      tools: [weatherTool()],
      prepareStep: ({ stepIndex }) => (stepIndex === 1 ? { model: 'deepseek-v4-pro' } : undefined),
    });
    const result = await agent.run('Rome?');
    expect(result.text).toBe('Warm.');
    expect(seen).toEqual(['0: own', '1: deepseek-v4-pro']);
    expect(chatRequests(emulator).map((request) => request.body.model)).toEqual([
      'deepseek-flash',
      'deepseek-v4-pro',
    ]);
  });

  it('a middleware may answer a turn itself (a cache): nothing is requested', async () => {
    const emulator = await emulate({ script: [] });
    const cached: ModelTurn = {
      message: { role: 'assistant', content: 'From the cache.', reasoning_content: '' },
      usage: undefined,
      finishReason: 'stop',
    };
    const model = wrapModel(deepseekModel('deepseek-flash', { client: clientFor(emulator) }), {
      wrapTurn: async () => cached,
    });
    const result = await new Agent({ model }).run('hi');
    expect(result.text).toBe('From the cache.');
    expect(chatRequests(emulator)).toHaveLength(0);
  });

  it('the DeepSeek model keeps the replay rule: reasoning_content is a string on every turn it returns', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
        { content: 'Cold.' },
        { content: 'No thinking.' },
      ],
    });
    const model = deepseekModel('deepseek-flash', { client: clientFor(emulator) });
    const request = (messages: ModelRequest['messages']): ModelRequest => ({
      messages,
      tools: [weatherTool().definition],
      runId: 'r',
      stepIndex: 0,
      requestOptions: {},
    });
    const first = await model.turn(request([{ role: 'user', content: 'Oslo?' }]));
    expect(first.finishReason).toBe('tool_calls');
    expect(typeof first.message.reasoning_content).toBe('string');
    expect(first.message.reasoning_content).not.toBe('');
    expect(Object.isFrozen(first.message)).toBe(true);
    expect(first.request?.requestId).toBeDefined();
    const call = first.message.tool_calls?.[0];
    const second = await model.turn(
      request([
        { role: 'user', content: 'Oslo?' },
        first.message,
        { role: 'tool', tool_call_id: call?.id ?? '', content: '{"celsius":-3}' },
      ]),
    );
    expect(second.message.content).toBe('Cold.');
    // The emulator enforces the rule: the turn with tools was replayed with its reasoning.
    const sent = chatRequests(emulator)[1]?.body.messages as AssistantMessage[];
    expect(sent[1]?.reasoning_content).toBe(first.message.reasoning_content);
    // Thinking off: no reasoning arrives, and the message still carries reasoning_content ''.
    const third = await model.turn({ ...request([{ role: 'user', content: 'hi' }]), thinking: false });
    expect(third.message).toEqual({ role: 'assistant', content: 'No thinking.', reasoning_content: '' });
    expect(chatRequests(emulator)[2]?.body.thinking).toEqual({ type: 'disabled' });
  });

  it("a custom model's message without reasoning_content is replayed to DeepSeek with '' (the next turn is accepted)", async () => {
    const emulator = await emulate({ script: [{ content: 'Second answer.' }] });
    const deepseek = deepseekModel('deepseek-flash', { client: clientFor(emulator) });
    let turns = 0;
    // The first turn comes from elsewhere (a cache, another model) without reasoning_content.
    const model: Model = {
      modelId: 'deepseek-flash',
      turn: (request) =>
        turns++ === 0
          ? Promise.resolve({
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [
                  {
                    id: 'c1',
                    type: 'function',
                    function: { name: 'get_weather', arguments: '{"city":"Lima"}' },
                  },
                ],
              },
              usage: undefined,
              finishReason: 'tool_calls',
            })
          : deepseek.turn(request),
    };
    const result = await new Agent({ model, tools: [weatherTool()] }).run('Lima?');
    expect(result.text).toBe('Second answer.');
    const sent = chatRequests(emulator)[0]?.body.messages as AssistantMessage[];
    expect(sent[1]).toMatchObject({ role: 'assistant', content: '', reasoning_content: '' });
    emulator.assertDone();
  });

  it("a failed turn's partial text travels on the model's error; the run keeps it and the error stays the cause", async () => {
    const rateLimited = new RateLimitError({
      status: 429,
      message: 'Rate limit reached',
      serverMessage: 'Rate limit reached',
    });
    const model = scriptedModel([{ error: rateLimited, partial: { text: 'Half an ans', reasoning: 'Hmm' } }]);
    const error = await new Agent({ model }).run('hi').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).cause).toBe(rateLimited);
    expect(partialTurnOf(rateLimited)).toEqual({ text: 'Half an ans', reasoning: 'Hmm' });
    const steps = (error as AgentRunError).result.steps;
    expect(steps.map((step) => [step.text, step.reasoning, step.finishReason])).toEqual([
      ['Half an ans', 'Hmm', 'error'],
    ]);
  });

  it('the DeepSeek model attaches what arrived before a stream broke', async () => {
    const emulator = await emulate({
      script: [
        { content: 'The first part of the answer', reasoning: 'Reasoning', fault: { cutAfterChunks: 4 } },
      ],
    });
    const error = await new Agent({ client: clientFor(emulator) })
      .run('hi')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    const cause = (error as AgentRunError).cause;
    const partial = partialTurnOf(cause);
    expect(partial?.request?.requestId).toBeDefined();
    expect(`${partial?.reasoning}${partial?.text}`).not.toBe('');
    expect((error as AgentRunError).result.steps[0]?.finishReason).toBe('error');
  });

  it('withPartialTurn leaves primitives and frozen errors alone', () => {
    expect(withPartialTurn('boom', { text: 'x', reasoning: '' })).toBe('boom');
    const frozen = Object.freeze(new Error('frozen'));
    expect(partialTurnOf(withPartialTurn(frozen, { text: 'x', reasoning: '' }))).toBeUndefined();
    expect(partialTurnOf(undefined)).toBeUndefined();
  });

  it('steps.modelTurn sits on top of the seam: a saved turn replays without asking the model', async () => {
    const recorded: ModelTurn[] = [];
    const live = scriptedModel([
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Kyiv' } }] },
      { content: 'Mild.' },
    ]);
    const recording: StepMiddleware = {
      modelTurn: async (_info, next) => {
        const turn = await next();
        recorded.push(JSON.parse(JSON.stringify(turn)));
        return turn;
      },
    };
    const original = await new Agent({ model: live, tools: [weatherTool()] }).run('Kyiv?', {
      steps: recording,
    });
    const empty = scriptedModel([]);
    const replaying: StepMiddleware = { modelTurn: async (info) => recorded[info.stepIndex] as ModelTurn };
    const again = await new Agent({ model: empty, tools: [weatherTool()] }).run('Kyiv?', {
      steps: replaying,
    });
    expect(empty.requests).toHaveLength(0);
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(original.messages));
    // The saved copies are plain JSON: the loop froze them again before they joined the history.
    const assistants = again.messages.filter((message) => message.role === 'assistant');
    expect(assistants).toHaveLength(2);
    expect(assistants.every((message) => Object.isFrozen(message))).toBe(true);
  });

  it('a turn that is not { message, finishReason } fails the run with an error that says so', async () => {
    const model: Model = { modelId: 'deepseek-flash', turn: async () => ({}) as ModelTurn };
    const error = await new Agent({ model }).run('hi').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect(String((error as AgentRunError).cause)).toMatch(/not a \{ message, usage, finishReason \} object/);
  });

  it('a model option that is neither a model id nor a Model is an AgentConfigError naming `model`', () => {
    expect(() => new Agent({ model: {} as Model })).toThrow(AgentConfigError);
    expect(() => new Agent({ model: { modelId: 'x' } as Model })).toThrow(/`model`.*turn\(\) method/);
    expect(() => new Agent({ model: { turn: async () => ({}) } as unknown as Model })).toThrow(
      /modelId string/,
    );
    expect(() => wrapModel(scriptedModel([]), { wrapTurn: 'no' } as never)).toThrow(/middleware\.wrapTurn/);
  });

  it("today's client + model id form runs on the DeepSeek model (the client is the agent's)", async () => {
    const emulator = await emulate({ script: [{ content: 'Hello.' }] });
    const client = clientFor(emulator);
    const agent = new Agent({ client, model: 'deepseek-v4-pro' });
    expect(agent.model).toBe('deepseek-v4-pro');
    expect((await agent.run('hi')).text).toBe('Hello.');
    expect(chatRequests(emulator)[0]?.body.model).toBe('deepseek-v4-pro');
  });
});

describe('scriptedModel', () => {
  it('is exported from the @plumb/agent/testing subpath', () => {
    expect(fromSubpath).toBe(scriptedModel);
  });

  it('fails loudly when asked for more turns than scripted, and assertDone when some were left', async () => {
    const over = scriptedModel([{ content: 'one' }]);
    const agent = new Agent({ model: over, tools: [weatherTool()] });
    await agent.run('a');
    const error = await agent.run('b').catch((caught: unknown) => caught);
    expect(String((error as AgentRunError).cause)).toMatch(/turn 2 was requested, but the script has 1 turn/);

    const under = scriptedModel([{ content: 'one' }, { content: 'two' }]);
    await new Agent({ model: under }).run('a');
    expect(() => under.assertDone()).toThrow(/1 of 2 scripted turns were never requested/);
  });

  it('a function entry answers from the request; the run signal aborts a waiting turn', async () => {
    const model = scriptedModel([
      (request) => ({ content: `You said ${JSON.stringify(request.messages.at(-1)?.content)}` }),
    ]);
    expect((await new Agent({ model }).run('ping')).text).toBe('You said "ping"');

    const controller = new AbortController();
    const waiting = scriptedModel([
      async () => {
        controller.abort();
        return { content: 'too late' };
      },
    ]);
    const aborted = await new Agent({ model: waiting }).run('hi', { signal: controller.signal });
    expect(aborted.finishReason).toBe('aborted');
  });
});
