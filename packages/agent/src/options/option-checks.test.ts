import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ContextOptions } from '../context/options.js';
import {
  Agent,
  AgentConfigError,
  type AgentHooks,
  type AgentOptions,
  type Budget,
  MemorySessionStore,
  type RunOptions,
} from '../index.js';
import { scriptedModel } from '../model/scripted.js';
import type { HOOK_NAMES } from '../run/hooks.js';
import {
  AGENT_OPTION_KEYS,
  type BUDGET_KEYS,
  type CONTEXT_KEYS,
  REASONING_EFFORTS,
  RUN_OPTION_KEYS,
} from './option-checks.js';

// Compile-time guards: an option or hook added to the types but not to its list fails typecheck
// here (otherwise passing it would fail at run time as "unknown option").
type Unlisted<T, List extends readonly string[]> = Exclude<keyof T, List[number]>;
const everyAgentOptionListed: [Unlisted<AgentOptions, typeof AGENT_OPTION_KEYS>] extends [never]
  ? true
  : false = true;
const everyRunOptionListed: [Unlisted<RunOptions, typeof RUN_OPTION_KEYS>] extends [never] ? true : false =
  true;
const everyHookListed: [Unlisted<AgentHooks, typeof HOOK_NAMES>] extends [never] ? true : false = true;
const everyBudgetKeyListed: [Unlisted<Budget, typeof BUDGET_KEYS>] extends [never] ? true : false = true;
const everyContextKeyListed: [Unlisted<ContextOptions, typeof CONTEXT_KEYS>] extends [never] ? true : false =
  true;

const client = new DeepSeek({ apiKey: 'sk-fake-options', baseURL: 'http://127.0.0.1:9' });

/** The AgentConfigError `build` throws (fails the test if it throws nothing or something else). */
function configError(build: () => unknown): AgentConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return error as AgentConfigError;
  }
  throw new Error('expected an AgentConfigError');
}

const agent = (options: Record<string, unknown>) => new Agent({ client, ...options } as never);

describe('Agent options', () => {
  it.each([
    ['intructions', 'instructions'],
    ['maxStep', 'maxSteps'],
    ['tool', 'tools'],
    ['reasoning_effort', 'reasoningEffort'],
  ])('refuses the unknown option %s and suggests %s', (typo, meant) => {
    const error = configError(() => agent({ [typo]: 1 }));
    expect(error.option).toBe(typo);
    expect(error.message).toContain(`Did you mean \`${meant}\`?`);
  });

  it('refuses an unknown option without a close match, listing the known ones', () => {
    expect(configError(() => agent({ banana: 1 })).message).toMatch(
      /has no option `banana`\. Known options: client, model/,
    );
  });

  it('lists every option of the types, each once', () => {
    expect([
      everyAgentOptionListed,
      everyRunOptionListed,
      everyHookListed,
      everyBudgetKeyListed,
      everyContextKeyListed,
    ]).toEqual([true, true, true, true, true]);
    expect(new Set(AGENT_OPTION_KEYS).size).toBe(AGENT_OPTION_KEYS.length);
    expect(new Set(RUN_OPTION_KEYS).size).toBe(RUN_OPTION_KEYS.length);
  });

  it.each([
    ['maxTokens', 'hot', /maxTokens.*got a string \("hot"\)/],
    ['maxTokens', 0, /from 1 to 393216/],
    ['maxTokens', 1.5, /got a number \(1.5\)/],
    ['temperature', 'hot', /temperature.*got a string \("hot"\)/],
    ['temperature', 3, /from 0 to 2/],
    ['topP', 0, /topP/],
    ['userId', 42, /userId.*got a number \(42\)/],
    ['userId', 'alice@example.com', /letters, digits/],
    ['instructions', 7, /got a number \(7\)/],
    ['thinking', 'yes', /got a string \("yes"\)/],
    ['name', {}, /got an object/],
    ['maxSteps', '5', /got a string \("5"\)/],
    ['budget', { maxCost: 'cheap' }, /with maxCost a string \("cheap"\)/],
    ['currency', 'EUR', /got a string \("EUR"\)/],
  ])('checks %s = %j when the agent is built', (option, value, message) => {
    const error = configError(() => agent({ [option]: value }));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it.each([['deepseek-chat'], ['deepseek-reasoner'], ['deepseek-coder']])(
    'refuses the retired model %s with the replacement',
    (model) => {
      expect(configError(() => agent({ model })).message).toMatch(/retired.*2026-07-24.*deepseek-flash/);
    },
  );

  it('lists every accepted reasoning effort in its error', () => {
    const error = configError(() => agent({ reasoningEffort: 'extreme' }));
    for (const effort of REASONING_EFFORTS) expect(error.message).toContain(`'${effort}'`);
    expect(error.message).toContain('got a string ("extreme")');
  });

  it('checks the shape of hooks', () => {
    expect(configError(() => agent({ hooks: 'log' })).message).toMatch(/got a string/);
    const typo = configError(() => agent({ hooks: { onStepStrat: () => {} } }));
    expect(typo.option).toBe('hooks.onStepStrat');
    expect(typo.message).toContain('Did you mean `onStepStart`?');
    expect(configError(() => agent({ hooks: { onStepEnd: 'yes' } })).option).toBe('hooks.onStepEnd');
  });

  it('checks the shape of the logger', () => {
    expect(configError(() => agent({ logger: console.log })).message).toMatch(/pino logger.*got a function/);
    expect(configError(() => agent({ logger: { debug() {}, warn() {} } })).message).toMatch(
      /it has no info, error method/,
    );
    expect(() => agent({ logger: { debug() {}, info() {}, warn() {}, error() {} } })).not.toThrow();
  });

  it('accepts valid settings', () => {
    expect(() =>
      agent({ maxTokens: 1024, temperature: 0.7, topP: 0.9, userId: 'user_42', reasoningEffort: 'max' }),
    ).not.toThrow();
  });
});

describe('run options', () => {
  it('refuses an unknown run option with a did-you-mean, before any request', async () => {
    const built = agent({});
    const error = await built.run('hi', { maxStep: 3 } as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentConfigError);
    expect((error as AgentConfigError).message).toContain('Did you mean `maxSteps`?');
    expect(() => built.stream('hi', { signl: undefined } as never)).toThrow(/Did you mean `signal`\?/);
  });
});

/** The AgentConfigError a run rejects with (fails the test if it resolves or rejects otherwise). */
async function runError(run: () => Promise<unknown>): Promise<AgentConfigError> {
  const error = await run().then(
    () => new Error('expected the run to reject'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AgentConfigError);
  return error as AgentConfigError;
}

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny in ${city}.`,
});

describe('options that live elsewhere are refused by new Agent(), naming where they go', () => {
  it.each([
    [
      'session',
      { store: new MemorySessionStore(), id: 'chat-1' },
      /agent\.run\(input, \{ session: \{ store, id \} \}\)/,
    ],
    ['session', 'chat-1', /agent\.run\(input, \{ session/],
    ['sessionStore', new MemorySessionStore(), /agent\.run\(input, \{ session: \{ store, id \} \}\)/],
    ['sessionStore', 42, /session: \{ store, id \}/],
    ['compaction', { strategies: [] }, /the `context` option/],
    ['compaction', 'auto', /context: \{ strategies/],
  ])('%s = %o', (option, value, fix) => {
    const error = configError(() => agent({ [option]: value }));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(fix);
  });
});

describe('values inside object options are checked when the agent is built', () => {
  it.each([
    ['requird', /one of 'auto', 'none' or 'required'.*got a string \("requird"\)/],
    [5, /got a number \(5\)/],
    [{ type: 'function' }, /without a function\.name string/],
    [{ type: 'tool', function: { name: 'get_weather' } }, /its type is not "function"/],
  ])('toolChoice %o', (toolChoice, message) => {
    const error = configError(() => agent({ tools: [getWeather], thinking: false, toolChoice }));
    expect(error.option).toBe('toolChoice');
    expect(error.message).toMatch(message);
  });

  it('refuses a forced tool the agent does not have, with the closest name', () => {
    const error = configError(() =>
      agent({
        tools: [getWeather],
        thinking: false,
        toolChoice: { type: 'function', function: { name: 'get_wether' } },
      }),
    );
    expect(error.option).toBe('toolChoice.function.name');
    expect(error.message).toContain('Did you mean `get_weather`?');
    expect(() =>
      agent({
        tools: [getWeather],
        thinking: false,
        toolChoice: { type: 'function', function: { name: 'get_weather' } },
      }),
    ).not.toThrow();
  });

  it.each([
    ['budget', { maxCost: 1, curency: 'CNY' }, 'budget.curency', 'currency'],
    ['context', { trigger: { fraction: 0.8 }, strategy: [] }, 'context.strategy', 'strategies'],
  ])('refuses an unknown key inside %s with a did-you-mean', (option, value, field, meant) => {
    const error = configError(() => agent({ [option]: value }));
    expect(error.option).toBe(field);
    expect(error.message).toContain(`Did you mean \`${meant}\`?`);
  });
});

describe("requestOptions are checked with core's rules when the agent is built", () => {
  it.each([
    [{ timeoutt: 1_000 }, 'requestOptions.timeoutt', /did you mean `timeout`\?/],
    [{ maxRetry: 1 }, 'requestOptions.maxRetry', /did you mean `maxRetries`\?/],
    [
      { timeout: 'slow' },
      'requestOptions.timeout',
      /positive number of milliseconds, got a string \("slow"\)/,
    ],
    [{ idleTimeout: -1 }, 'requestOptions.idleTimeout', /positive number of milliseconds/],
    [{ maxRetries: -1 }, 'requestOptions.maxRetries', /non-negative integer, got a number \(-1\)/],
    [{ headers: { 'x-trace': 7 } }, 'requestOptions.headers', /header `x-trace`.*String\(value\)/],
    [{ preflight: 'no' }, 'requestOptions.preflight', /true or false/],
    [{ fetchOptions: 'keepalive' }, 'requestOptions.fetchOptions', /fetch init options/],
    [{ signal: new AbortController().signal }, 'requestOptions.signal', /agent\.run\(input, \{ signal \}\)/],
    ['fast', 'requestOptions', /got a string \("fast"\)/],
  ])('%o', (requestOptions, field, message) => {
    const error = configError(() => agent({ requestOptions }));
    expect(error.option).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('accepts valid request options', () => {
    expect(() =>
      agent({
        requestOptions: {
          timeout: 60_000,
          idleTimeout: 30_000,
          maxRetries: 0,
          headers: { 'x-trace': 'abc' },
          preflight: false,
          fetchOptions: {},
        },
      }),
    ).not.toThrow();
  });
});

describe('run option values are checked when the run starts, before any request', () => {
  /** An agent whose model answers once; a run that gets past the checks resolves. */
  const scripted = () => {
    const model = scriptedModel([{ content: 'Hello.' }]);
    return { model, built: new Agent({ client, model }) };
  };

  it.each([
    ['throwOnMaxSteps', 'yes', /expected true .* or false, got a string \("yes"\)/],
    ['throwOnMaxSteps', 1, /got a number \(1\)/],
    ['onFinish', 'log', /expected a function, e\.g\. \(result\) => .*got a string \("log"\)/],
    ['onError', {}, /expected a function, e\.g\. \(\{ error \}\) => .*got an object/],
  ])('%s = %o', async (option, value, message) => {
    const { model, built } = scripted();
    const error = await runError(() => built.run('hi', { [option]: value } as RunOptions));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
    expect(model.requests).toHaveLength(0);
    expect(() => built.stream('hi', { [option]: value } as RunOptions)).toThrow(AgentConfigError);
  });

  it.each([
    [{ timeoutt: 1_000 }, 'requestOptions.timeoutt', /did you mean `timeout`\?/],
    [{ maxRetries: 'twice' }, 'requestOptions.maxRetries', /non-negative integer/],
  ])('requestOptions %o', async (requestOptions, field, message) => {
    const { model, built } = scripted();
    const error = await runError(() => built.run('hi', { requestOptions } as RunOptions));
    expect(error.option).toBe(field);
    expect(error.message).toMatch(message);
    expect(model.requests).toHaveLength(0);
  });

  it('refuses an unknown key inside budget and context', async () => {
    const { built } = scripted();
    const budget = await runError(() => built.run('hi', { budget: { maxCost: 1, max: 2 } } as never));
    expect(budget.option).toBe('budget.max');
    const context = await runError(() => built.run('hi', { context: { windw: 'models' } } as never));
    expect(context.option).toBe('context.windw');
    expect(context.message).toContain('Did you mean `window`?');
  });

  it('checks them before a session is loaded', async () => {
    const { model, built } = scripted();
    const store = new MemorySessionStore();
    let loads = 0;
    const counting = Object.assign(Object.create(store) as MemorySessionStore, {
      load: (id: string) => {
        loads++;
        return store.load(id);
      },
    });
    const error = await runError(() =>
      built.run('hi', { session: { store: counting, id: 'chat-1' }, throwOnMaxSteps: 'yes' } as never),
    );
    expect(error.option).toBe('throwOnMaxSteps');
    expect([loads, model.requests.length]).toEqual([0, 0]);
  });

  it('runs with valid values', async () => {
    const { model, built } = scripted();
    const finished: string[] = [];
    const result = await built.run('hi', {
      throwOnMaxSteps: false,
      onFinish: (done) => {
        finished.push(done.text);
      },
      onError: () => {},
      requestOptions: { timeout: 5_000 },
    });
    expect([result.text, finished]).toEqual(['Hello.', ['Hello.']]);
    model.assertDone();
  });
});
