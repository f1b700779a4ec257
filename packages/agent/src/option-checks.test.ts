import { DeepSeek } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import type { HOOK_NAMES } from './hooks.js';
import { Agent, AgentConfigError, type AgentHooks, type AgentOptions, type RunOptions } from './index.js';
import { AGENT_OPTION_KEYS, REASONING_EFFORTS, RUN_OPTION_KEYS } from './option-checks.js';

// Compile-time guards: an option or hook added to the types but not to its list fails typecheck
// here (otherwise passing it would fail at run time as "unknown option").
type Unlisted<T, List extends readonly string[]> = Exclude<keyof T, List[number]>;
const everyAgentOptionListed: [Unlisted<AgentOptions, typeof AGENT_OPTION_KEYS>] extends [never]
  ? true
  : false = true;
const everyRunOptionListed: [Unlisted<RunOptions, typeof RUN_OPTION_KEYS>] extends [never] ? true : false =
  true;
const everyHookListed: [Unlisted<AgentHooks, typeof HOOK_NAMES>] extends [never] ? true : false = true;

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
    expect([everyAgentOptionListed, everyRunOptionListed, everyHookListed]).toEqual([true, true, true]);
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

  it.each([['deepseek-chat'], ['deepseek-reasoner']])(
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
