import type { ChatMessage, ToolChoice } from '@plumb/core';
import { didYouMean } from '@plumb/core/internal';
import { type AnyTool, resolveTools, type ToolSet } from '@plumb/tools';
import { ruleTokens, TokenEstimator } from '../context/estimate.js';
import { checkRewrite } from '../context/guards.js';
import type { PrepareStep, PrepareStepResult, StepSettings } from '../context/options.js';
import { AgentConfigError } from '../errors.js';
import { checkKnownKeys, checkModel, checkReasoningEffort, describeType } from '../options/option-checks.js';
import type { ToolCallSteering } from '../run/hooks.js';
import type { AgentStep } from '../run/result.js';
import type { Progress, RunContext } from '../run/run-context.js';
import { type AgentConfig, withStepModel } from '../step/config.js';
import { shareHistory } from '../step/history-seal.js';
import {
  anyForeignCondition,
  checkStopWhen,
  type StopCondition,
  stopConditionMet,
} from './stop-conditions.js';

/** What a dynamic `instructions` function receives. */
export interface InstructionsContext {
  readonly runId: string;
  /** The index of the step about to be sent (0 for the first). */
  readonly stepIndex: number;
  /** The run's `data` option. */
  readonly data: unknown;
  /** The steps so far. */
  readonly steps: readonly AgentStep[];
}

/**
 * The system prompt, or a function of the run that returns it (sync or async). The function is
 * called before every step; the system message starts DeepSeek's cached prefix, so a result that
 * changes between steps makes that step's whole prompt a cache miss (see `AgentStep.cacheBreak`).
 */
export type Instructions = string | ((context: InstructionsContext) => string | Promise<string>);

/**
 * A step's request lost (part of) the cached prefix of the run's previous request: its system
 * prompt, tools or model changed, or earlier messages were rewritten.
 */
export interface CacheBreak {
  /** What changed since the previous request of the run. */
  changed: Array<'model' | 'tools' | 'instructions' | 'messages'>;
  /** The first message that differs from the previous request's (0 when the model or tools changed). */
  from: number;
  /**
   * Estimated prompt tokens of the previous request that this one no longer shares as a prefix,
   * so they are billed at the cache-miss price (the agent's calibrated token estimate, in
   * DeepSeek's 64-token cache units).
   */
  cacheMissTokens: number;
}

/** The agent's loop-control options, validated once. */
export interface LoopConfig {
  /** A dynamic `instructions` function (a string is part of the agent's config). */
  readonly instructions: ((context: InstructionsContext) => string | Promise<string>) | undefined;
  /** The output schema's system-prompt paragraph, appended to dynamic instructions. */
  readonly outputParagraph: string | undefined;
  readonly stopWhen: readonly StopCondition[] | undefined;
  readonly onToolCall: ToolCallSteering | undefined;
}

/** Validates `instructions` (a string or a function), `stopWhen` and `onToolCall` of `new Agent()`. */
export function resolveLoop(
  options: { instructions?: unknown; stopWhen?: unknown; onToolCall?: unknown },
  outputParagraph: string | undefined,
): LoopConfig {
  const instructions = options.instructions;
  checkInstructions(instructions);
  return {
    instructions:
      typeof instructions === 'function' ? (instructions as LoopConfig['instructions']) : undefined,
    outputParagraph,
    stopWhen: checkStopWhen(options.stopWhen),
    onToolCall: checkSteering(options.onToolCall),
  };
}

/** `instructions`: a string or a function (checked before the rest of the agent's options). */
export function checkInstructions(instructions: unknown): void {
  if (instructions !== undefined && typeof instructions !== 'string' && typeof instructions !== 'function') {
    throw new AgentConfigError(
      'instructions',
      `expected a string (the system prompt) or a function ({ runId, stepIndex, data, steps }) => string, got ${describeType(instructions)}.`,
    );
  }
}

function checkSteering(value: unknown, field = 'onToolCall'): ToolCallSteering | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new AgentConfigError(
      field,
      `expected a function (call) => undefined | { action: 'skip', result } | { action: 'reject', reason }, got ${describeType(value)}.`,
    );
  }
  return value as ToolCallSteering;
}

/** The agent's `onFinish` / `onError` callbacks, checked to be functions. */
export function checkCallback(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new AgentConfigError(field, `expected a function, got ${describeType(value)}.`);
  }
}

/** Unknown tool names are refused with the closest known name. */
function checkToolNames(field: string, names: unknown, known: readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
    throw new AgentConfigError(
      field,
      `expected an array of tool names such as ['get_weather'], got ${describeType(names)}.`,
    );
  }
  for (const name of names as string[]) {
    if (known.includes(name)) continue;
    const guess = didYouMean(name, known);
    throw new AgentConfigError(
      field,
      `the agent has no tool "${name}".${guess === undefined ? '' : ` Did you mean "${guess}"?`} Its tools: ${known.length > 0 ? known.join(', ') : '(none)'}.`,
    );
  }
  return new Set(names as string[]);
}

const SETTING_KEYS = [
  'messages',
  'activeTools',
  'model',
  'thinking',
  'reasoningEffort',
  'instructions',
] as const satisfies ReadonlyArray<keyof StepSettings>;

/** What the previous request of the run was, to tell what a step's request no longer shares. */
interface SentRequest {
  readonly messages: readonly ChatMessage[];
  readonly length: number;
  readonly tools: ToolSet;
  readonly model: string;
  /** Its `usage.prompt_tokens` once the response arrived (calibrates the estimate of a break). */
  promptTokens?: number;
}

/**
 * One run's loop control: the run's tool subset and stop conditions, the dynamic instructions,
 * what `prepareStep` changed for the step about to be sent, and the cache-break report.
 */
export class LoopRun {
  readonly stopWhen: readonly StopCondition[] | undefined;
  /** Whether a stop condition is the application's code (it is given the live history). */
  readonly #foreignStop: boolean;
  readonly onToolCall: ToolCallSteering | undefined;
  /** What the step about to be sent reports (undefined when nothing broke the cached prefix). */
  cacheBreak: CacheBreak | undefined;
  readonly #loop: LoopConfig;
  readonly #activeTools: ReadonlySet<string> | undefined;
  /** This step's `prepareStep` settings (model, tools, thinking); reset each step. */
  #settings: StepSettings | undefined;
  #sent: SentRequest | undefined;
  #estimator: TokenEstimator | undefined;
  /** Subsets built for a tool set, by their names (the same object each time, so the prefix stays stable). */
  readonly #subsets = new WeakMap<ToolSet, Map<string, ToolSet>>();

  constructor(
    loop: LoopConfig,
    config: AgentConfig,
    run: { stopWhen?: unknown; activeTools?: unknown; onToolCall?: unknown },
  ) {
    this.#loop = loop;
    this.stopWhen = run.stopWhen === undefined ? loop.stopWhen : checkStopWhen(run.stopWhen);
    this.#foreignStop = this.stopWhen !== undefined && anyForeignCondition(this.stopWhen);
    this.onToolCall = run.onToolCall === undefined ? loop.onToolCall : checkSteering(run.onToolCall);
    this.#activeTools =
      run.activeTools === undefined
        ? undefined
        : checkToolNames('activeTools', run.activeTools, config.toolSet.names);
    if (this.#activeTools !== undefined)
      checkForcedChoice(config.firstToolChoice, this.#activeTools, 'activeTools');
  }

  /** The names of the tools a step offers before `prepareStep` (the run's `activeTools`, else all). */
  activeNames(set: ToolSet): string[] {
    const active = this.#activeTools;
    return active === undefined ? set.names.slice() : set.names.filter((name) => active.has(name));
  }

  /**
   * Before a step: dynamic instructions replace (or add) the system message when they changed.
   * Returns a promise only when there is something to wait for (dynamic instructions): the loop
   * awaits nothing otherwise, as each await costs a turn of the microtask queue.
   */
  beforeStep(context: RunContext, progress: Progress, stepIndex: number): Promise<void> | undefined {
    this.#settings = undefined;
    this.cacheBreak = undefined;
    const instructions = this.#loop.instructions;
    if (instructions === undefined) return undefined;
    return this.#instruct(instructions, context, progress, stepIndex);
  }

  async #instruct(
    instructions: NonNullable<LoopConfig['instructions']>,
    context: RunContext,
    progress: Progress,
    stepIndex: number,
  ): Promise<void> {
    const text = await instructions({
      runId: context.runId,
      stepIndex,
      data: context.data,
      steps: progress.steps,
    });
    if (typeof text !== 'string') {
      throw new AgentConfigError(
        'instructions',
        `the function returned ${describeType(text)}; expected a string.`,
      );
    }
    progress.messages = withSystem(progress.messages, joinSystem(text, this.#loop.outputParagraph));
  }

  /**
   * Calls `prepareStep` and applies what it returned: new messages (checked by the guards with
   * the step's thinking mode) and instructions become the history; the other settings apply to
   * this step only. Returns whether the messages changed.
   */
  async prepare(
    hook: PrepareStep,
    context: RunContext,
    progress: Progress,
    event: { stepIndex: number; tokens: number; limit: number },
    agentThinking: boolean,
  ): Promise<boolean> {
    const returned: PrepareStepResult = await hook({
      ...event,
      messages: shareHistory(progress.messages),
      runId: context.runId,
      data: context.data,
      steps: progress.steps,
      model: context.config.model,
      activeTools: this.activeNames(context.tools.set),
    });
    if (returned === undefined) return false;
    const settings: StepSettings = Array.isArray(returned)
      ? { messages: returned as readonly ChatMessage[] }
      : checkSettings(returned);
    const thinking = stepThinking(settings, agentThinking);
    let messages: readonly ChatMessage[] = progress.messages;
    if (settings.instructions !== undefined) {
      if (typeof settings.instructions !== 'string') {
        throw new AgentConfigError(
          'prepareStep().instructions',
          `expected a string, got ${describeType(settings.instructions)}.`,
        );
      }
      messages = withSystem(settings.messages ?? messages, settings.instructions);
    } else if (settings.messages !== undefined) {
      messages = settings.messages;
    }
    const changed = messages !== progress.messages;
    if (changed)
      progress.messages = checkRewrite('prepareStep', progress.messages, messages, thinking).slice();
    else if (thinking && !agentThinking)
      checkRewrite('prepareStep', progress.messages, progress.messages, true);
    this.#settings = settings;
    return changed;
  }

  /**
   * The context the step's request is made with: the run's, or a copy with this step's model,
   * thinking, reasoning effort and tools. Also fills `cacheBreak`.
   */
  stepContext(context: RunContext, progress: Progress): RunContext {
    const { config } = context;
    const settings = this.#settings;
    const full = context.tools.set;
    let tools = full;
    const names = settings?.activeTools;
    if (names !== undefined) {
      const active = checkToolNames('prepareStep().activeTools', names, full.names);
      if (progress.steps.length === 0)
        checkForcedChoice(config.firstToolChoice, active, 'prepareStep().activeTools');
      tools = this.#subset(full, active);
    } else if (this.#activeTools !== undefined) {
      tools = this.#subset(full, this.#activeTools);
    }
    let stepConfig = config;
    if (settings !== undefined && hasRequestChange(settings))
      stepConfig = requestConfig(config, settings, progress.steps.length);
    this.#report(progress.messages, tools, stepConfig.model);
    if (stepConfig === config && tools === full) return context;
    return { ...context, config: stepConfig, tools: { set: tools, revisions: context.tools.revisions } };
  }

  /**
   * Whether a `stopWhen` condition ends the run after its last step: `false` at once (no promise)
   * when there is no condition or no step yet.
   */
  stopped(context: RunContext, progress: Progress): boolean | Promise<boolean> {
    const conditions = this.stopWhen;
    const lastStep = progress.steps[progress.steps.length - 1];
    if (conditions === undefined || lastStep === undefined) return false;
    return stopConditionMet(conditions, {
      runId: context.runId,
      steps: progress.steps,
      lastStep,
      messages: this.#foreignStop ? shareHistory(progress.messages) : progress.messages,
      usage: progress.usage,
      cost: progress.cost,
      data: context.data,
    });
  }

  /** Keeps the step's real prompt size: a later break's estimate is calibrated with it (O(1) here). */
  calibrate(promptTokens: number): void {
    if (this.#sent !== undefined) this.#sent.promptTokens = promptTokens;
  }

  #subset(full: ToolSet, active: ReadonlySet<string>): ToolSet {
    const key = full.names.filter((name) => active.has(name)).join('\n');
    if (key === full.names.join('\n')) return full;
    let byKey = this.#subsets.get(full);
    if (byKey === undefined) {
      byKey = new Map();
      this.#subsets.set(full, byKey);
    }
    let subset = byKey.get(key);
    if (subset === undefined) {
      subset = resolveTools(full.tools.filter((tool: AnyTool) => active.has(tool.name)));
      byKey.set(key, subset);
    }
    return subset;
  }

  /** Compares the request about to be sent with the run's previous one. */
  #report(messages: readonly ChatMessage[], tools: ToolSet, model: string): void {
    const sent = this.#sent;
    this.#sent = { messages, length: messages.length, tools, model };
    if (sent === undefined) return;
    const changed: CacheBreak['changed'] = [];
    if (model !== sent.model) changed.push('model');
    if (
      tools !== sent.tools &&
      JSON.stringify(tools.definitions) !== JSON.stringify(sent.tools.definitions)
    ) {
      changed.push('tools');
    }
    let from = sent.length;
    if (messages !== sent.messages) {
      from = 0;
      const end = Math.min(sent.length, messages.length);
      while (from < end && sameMessage(messages[from], sent.messages[from])) from++;
      if (from < sent.length) {
        changed.push(from === 0 && sent.messages[0]?.role === 'system' ? 'instructions' : 'messages');
      }
    }
    if (changed.length === 0) return;
    if (changed.includes('model') || changed.includes('tools')) from = 0;
    // Counted only when something broke: a step without a break costs O(1) here.
    const estimator = this.#estimator ?? new TokenEstimator('');
    this.#estimator = estimator;
    const prefix = sent.messages.slice(0, sent.length);
    const tenths = estimator.requestTenths(prefix) + ruleTokens(JSON.stringify(sent.tools.definitions)) * 10;
    if (sent.promptTokens !== undefined) estimator.calibrate(sent.promptTokens, tenths);
    const before = Math.ceil((tenths * estimator.ratio) / 10);
    const kept = from === 0 ? 0 : before - estimator.rangeTokens(sent.messages, from, sent.length);
    this.cacheBreak = {
      changed,
      from,
      cacheMissTokens: Math.max(0, roundDown64(before) - roundDown64(kept)),
    };
  }
}

function sameMessage(a: ChatMessage | undefined, b: ChatMessage | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

function roundDown64(tokens: number): number {
  return tokens - (tokens % 64);
}

function joinSystem(instructions: string, paragraph: string | undefined): string {
  if (paragraph === undefined) return instructions;
  return instructions === '' ? paragraph : `${instructions}\n\n${paragraph}`;
}

/** The history with `system` as its system message (a new array only when it changed). */
function withSystem(messages: readonly ChatMessage[], system: string): ChatMessage[] {
  const first = messages[0];
  if (first?.role === 'system') {
    if (first.content === system) return messages as ChatMessage[];
    return [{ role: 'system', content: system }, ...messages.slice(1)];
  }
  return [{ role: 'system', content: system }, ...messages];
}

function checkSettings(value: unknown): StepSettings {
  if (typeof value !== 'object' || value === null) {
    throw new AgentConfigError(
      'prepareStep',
      `expected it to return messages, { messages, activeTools, model, thinking, reasoningEffort, instructions } or undefined, got ${describeType(value)}.`,
    );
  }
  checkKnownKeys(value, SETTING_KEYS, 'prepareStep() result');
  const settings = value as StepSettings;
  if (settings.model !== undefined) {
    try {
      checkModel(settings.model);
    } catch (error) {
      throw new AgentConfigError('prepareStep().model', (error as Error).message.replace(/^[^:]*: /, ''));
    }
  }
  if (settings.thinking !== undefined && typeof settings.thinking !== 'boolean') {
    throw new AgentConfigError(
      'prepareStep().thinking',
      `expected true or false, got ${describeType(settings.thinking)}.`,
    );
  }
  if (settings.reasoningEffort !== undefined) {
    try {
      checkReasoningEffort(settings.reasoningEffort);
    } catch (error) {
      throw new AgentConfigError(
        'prepareStep().reasoningEffort',
        (error as Error).message.replace(/^[^:]*: /, ''),
      );
    }
    if (settings.thinking === true && settings.reasoningEffort === 'none') {
      throw new AgentConfigError(
        'prepareStep().reasoningEffort',
        "'none' turns thinking off, but thinking is true. Return one of them.",
      );
    }
  }
  return settings;
}

function hasRequestChange(settings: StepSettings): boolean {
  return (
    settings.model !== undefined || settings.thinking !== undefined || settings.reasoningEffort !== undefined
  );
}

/** Whether the step runs in thinking mode. */
function stepThinking(settings: StepSettings, agentThinking: boolean): boolean {
  if (settings.thinking !== undefined) return settings.thinking;
  if (settings.reasoningEffort === 'none') return false;
  return agentThinking;
}

/** The agent's config with a step's model, thinking and reasoning effort (config.ts's `withStepModel`). */
function requestConfig(config: AgentConfig, settings: StepSettings, stepIndex: number): AgentConfig {
  const next = withStepModel(config, {
    model: settings.model,
    thinking: settings.thinking,
    reasoningEffort: settings.reasoningEffort,
  });
  const { thinking, reasoningEffort } = next.settings;
  // A forced choice is sent on the first step only (model-turn.ts).
  if (
    stepIndex === 0 &&
    thinking !== false &&
    reasoningEffort !== 'none' &&
    config.firstToolChoice !== undefined
  ) {
    throw new AgentConfigError(
      'prepareStep().thinking',
      `the agent forces toolChoice ${JSON.stringify(config.firstToolChoice)} on the first step, which DeepSeek rejects in thinking mode. Return thinking: false, or drop the forced toolChoice.`,
    );
  }
  return next;
}

/** A forced first-step tool must be among the tools offered. */
function checkForcedChoice(choice: ToolChoice | undefined, active: ReadonlySet<string>, field: string): void {
  if (choice === undefined || typeof choice !== 'object') return;
  const name = choice.function.name;
  if (!active.has(name)) {
    throw new AgentConfigError(
      field,
      `leaves out "${name}", the tool the agent's toolChoice forces on the first step. Add it, or drop the forced toolChoice.`,
    );
  }
}
