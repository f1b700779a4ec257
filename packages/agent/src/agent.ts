import type { Logger, RequestOptions } from '@plumb/core';
import { freezeOwnData } from '@plumb/core/internal';
import { type AnyTool, onAbort, type ToolParameters } from '@plumb/tools';
import { AbortGrace } from './abort/abort-grace.js';
import { startContextRun } from './context/manager.js';
import { type ContextConfig, resolveContext } from './context/options.js';
import {
  checkCallback,
  checkInstructions,
  type LoopConfig,
  LoopRun,
  resolveLoop,
} from './control/loop-control.js';
import { AgentConfigError } from './errors.js';
import {
  checkAgentOptions,
  checkKnownKeys,
  checkRunOptions,
  checkToolChoiceName,
  RUN_OPTION_KEYS,
} from './options/option-checks.js';
import type { AgentOptions, InferOutput, RunInput, RunOptions } from './options/options.js';
import type { AgentEvent, Emit } from './run/events.js';
import type { AgentResult } from './run/result.js';
import { runLoop } from './run/run.js';
import { emptyCost, emptyUsage, type Progress, type RunContext } from './run/run-context.js';
import { settleRun } from './run/run-function.js';
import { AgentStream } from './run/run-stream.js';
import { runInSession, streamInSession } from './session/run-session.js';
import { checkRunUserId } from './session/session.js';
import { newId, RunState } from './state/run-state.js';
import {
  type AgentConfig,
  checkBudget,
  checkCount,
  checkObject,
  checkSignal,
  resolveConfig,
} from './step/config.js';
import { initialHistory } from './step/messages.js';
import { checkStepOptions } from './step/step-middleware.js';
import { observeRun, runObserved } from './telemetry/observe.js';
import { type AsToolOptions, agentTool } from './tool-calls/as-tool.js';
import { checkPinnedTools, liveTools } from './tool-calls/live-tools.js';

/**
 * A DeepSeek agent: calls the model, runs the tools it asks for, feeds the results back and
 * repeats until the model answers (or a stop condition). Build it once, run it many times; runs
 * are independent and may overlap.
 *
 * @example
 * const agent = new Agent({ client, instructions: 'You are a weather bot.', tools: [getWeather] });
 * const result = await agent.run('What is the weather in Paris?');
 * console.log(result.text, result.usage, result.cost);
 */
export class Agent<TSchema extends ToolParameters | undefined = undefined> {
  readonly #config: AgentConfig;
  readonly #context: ContextConfig | undefined;
  readonly #loop: LoopConfig;
  readonly #onFinish: RunOptions['onFinish'];
  readonly #onError: RunOptions['onError'];

  /** @throws AgentConfigError naming the invalid option (checked here, before any request). */
  constructor(options: AgentOptions<TSchema> = {}) {
    // Dynamic instructions (a function) are loop control's (loop-control.ts); the config sees none.
    if (typeof options === 'object' && options !== null) {
      checkAgentOptions(options);
      checkInstructions(options.instructions);
    }
    const dynamic = typeof options?.instructions === 'function';
    this.#config = resolveConfig(dynamic ? { ...options, instructions: undefined } : options);
    checkToolChoiceName(options.toolChoice, this.#config.toolSet.names);
    this.#context = resolveContext(options.context, options.prepareStep, this.#config.params);
    this.#loop = resolveLoop(options, dynamic ? this.#config.system : undefined);
    if (options.onStepFinish !== undefined) {
      throw new AgentConfigError(
        'onStepFinish',
        "plumb's per-step callback is hooks.onStepEnd: new Agent({ hooks: { onStepEnd(step) { ... } } }).",
      );
    }
    checkCallback('onFinish', options.onFinish);
    checkCallback('onError', options.onError);
    this.#onFinish = options.onFinish;
    this.#onError = options.onError;
  }

  /** The agent's name (logs, `asTool()` default). */
  get name(): string {
    return this.#config.name;
  }

  /** The model id the agent calls. */
  get model(): string {
    return this.#config.model;
  }

  /** The resolved tools, packs flattened, in the order they are sent. */
  get tools(): readonly AnyTool[] {
    return this.#config.toolSet.tools;
  }

  /**
   * Runs the agent to the end. `input` is a user message, a message history (continue a
   * conversation with `[...result.messages, { role: 'user', content }]`), or the `RunState` of
   * an interrupted run (after `state.approve()` / `state.reject()`).
   *
   * Resolves for every ending, including `'aborted'` (the `signal` fired) and `'interrupted'`
   * (a tool needs approval). Rejects with an `AgentRunError` (its `result` keeps the history,
   * steps and usage so far) when the API fails, with a `StructuredOutputError` when the answer
   * never matched the `output` schema, and with an `AgentConfigError` for bad input.
   */
  async run(input: RunInput | RunState, options?: RunOptions): Promise<AgentResult<InferOutput<TSchema>>> {
    checkRunOptions(options);
    if (options?.session !== undefined) {
      return (await runInSession(this, input, options)) as AgentResult<InferOutput<TSchema>>;
    }
    const { context, progress, release } = this.#start(input, options ?? {}, undefined);
    try {
      const pending = runObserved(context, progress, runLoop) as Promise<AgentResult<InferOutput<TSchema>>>;
      return await settleRun(pending, this.#callbacks(options), this.#config.logger);
    } finally {
      release();
    }
  }

  /** Resumes an interrupted run; the same as `run(state, options)`. */
  async resume(state: RunState, options?: RunOptions): Promise<AgentResult<InferOutput<TSchema>>> {
    if (!(state instanceof RunState)) {
      throw new AgentConfigError(
        'state',
        'expected a RunState (from result.state or RunState.fromJSON(json)).',
      );
    }
    return this.run(state, options);
  }

  /**
   * Runs the agent and streams typed events (`step-start`, `reasoning-delta`, `text-delta`,
   * `tool-call`, `tool-approval-request`, `tool-result`, `step-end`, `end`). The run starts at
   * once; `stream.result` resolves like `run()`. Breaking out of the loop aborts the run.
   * @throws AgentConfigError at once for invalid input or options.
   */
  stream(input: RunInput | RunState, options?: RunOptions): AgentStream<InferOutput<TSchema>> {
    checkRunOptions(options);
    if (options?.session !== undefined) {
      return streamInSession(this, input, options) as AgentStream<InferOutput<TSchema>>;
    }
    let emit: Emit;
    const started = this.#start(input, options ?? {}, (event) => {
      emit?.(event);
      // The AI SDK's `tool-error` part, after the failed call's `tool-result`.
      if (event.type === 'tool-result' && event.toolCall.status === 'error') {
        const { stepIndex, id, name, toolCall } = event;
        emit?.({
          type: 'tool-error',
          stepIndex,
          id,
          name,
          args: toolCall.args,
          error: toolCall.error ?? '',
          toolCall,
        });
      }
    });
    return new AgentStream<InferOutput<TSchema>>(
      (push) => {
        emit = push as (event: AgentEvent<unknown>) => void;
        const pending = runObserved(started.context, started.progress, runLoop) as Promise<
          AgentResult<InferOutput<TSchema>>
        >;
        return settleRun(pending, this.#callbacks(options), this.#config.logger).finally(started.release);
      },
      (reason) => started.abort(reason),
    );
  }

  /**
   * This agent as a tool of another agent. The model passes `{ input: string }` (or your
   * `parameters`, mapped by `input`); the sub-run gets the parent's abort signal and `data`,
   * and its usage and cost are added to the parent's totals (and to the call's record). The
   * tool result is the sub-run's `output` (with an `output` schema) or its text.
   * Approvals inside the sub-agent are not supported: an interrupted sub-run returns a note.
   */
  asTool<P extends ToolParameters | undefined = undefined>(options: AsToolOptions<P>): AnyTool {
    return agentTool(this, options);
  }

  #start(input: RunInput | RunState, options: RunOptions, emit: Emit) {
    const config = this.#config;
    if (typeof options !== 'object' || options === null) {
      throw new AgentConfigError('options', 'run options must be an object, e.g. { signal }.');
    }
    checkKnownKeys(options, RUN_OPTION_KEYS, 'agent.run()');
    const outer = checkSignal(options.signal);
    checkObject('requestOptions', options.requestOptions);
    const maxSteps = checkCount('maxSteps', options.maxSteps, config.maxSteps);
    const budget = options.budget === undefined ? config.budget : checkBudget(options.budget, config.model);
    const currency = budget?.currency ?? config.currency;
    checkStepOptions(options.runId, options.steps);
    const loop = new LoopRun(this.#loop, config, options);
    const progress = this.#progress(input, currency, options.runId);
    const controller = new AbortController();
    // Through onAbort: many runs sharing one caller signal add one listener to it, not one each.
    let unsubscribe: (() => void) | undefined;
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer !== undefined) unsubscribe = onAbort(outer, () => controller.abort(outer.reason));
    const grace = new AbortGrace(controller.signal);
    const requestOptions = runRequestOptions(
      options.requestOptions ?? config.requestOptions,
      controller.signal,
    );
    // Telemetry and recording start here, synchronously: a sub-agent sees the tool call that started it.
    const observed = observeRun(config, options, input, emit);
    const context: RunContext = {
      config,
      tools: liveTools(config.toolItems, config.toolSet),
      signal: controller.signal,
      emit: observed.emit,
      observation: observed.observation,
      data: options.data,
      maxSteps,
      budget,
      currency,
      requestOptions,
      debug: debugEnabled(config.logger),
      userId: checkRunUserId(options.userId),
      contextRun: startContextRun(this.#context, options, config.params),
      runId: progress.runId,
      grace,
      steps: options.steps,
      loop,
    };
    // Last, once nothing else can throw: a state resumes once (a second resume throws here).
    if (input instanceof RunState) input.claim();
    return {
      context,
      progress,
      abort: (reason: unknown) => controller.abort(reason),
      release: () => {
        unsubscribe?.();
        grace.dispose();
      },
    };
  }

  /** The run's `onFinish` / `onError` after the agent's (each runs; neither changes the outcome). */
  #callbacks(options: RunOptions | undefined): RunOptions | undefined {
    const agentFinish = this.#onFinish;
    const agentError = this.#onError;
    if (agentFinish === undefined && agentError === undefined) return options;
    checkCallback('onFinish', options?.onFinish);
    checkCallback('onError', options?.onError);
    return {
      ...options,
      onFinish: async (result) => {
        try {
          await agentFinish?.(result);
        } finally {
          await options?.onFinish?.(result);
        }
      },
      onError: async (event) => {
        try {
          await agentError?.(event);
        } finally {
          await options?.onError?.(event);
        }
      },
    };
  }

  #progress(input: RunInput | RunState, currency: 'USD' | 'CNY', runId?: string): Progress {
    const config = this.#config;
    if (input instanceof RunState) {
      const data = input.data;
      checkPinnedTools(data.toolPins, config.toolItems);
      const steps = data.steps.slice();
      const last = steps[steps.length - 1];
      if (last !== undefined)
        steps[steps.length - 1] = { ...last, toolCalls: last.toolCalls.map((call) => ({ ...call })) };
      return {
        messages: data.messages.slice(),
        steps,
        usage: data.usage,
        cost: data.cost ?? undefined,
        consecutiveToolErrors: data.consecutiveToolErrors,
        outputRetries: data.outputRetries,
        output: undefined,
        pendingTurn: data.turn,
        decisions: { ...data.decisions },
        runId: data.runId,
      };
    }
    return {
      // Dynamic instructions add the system message before the first step (loop-control.ts).
      messages: initialHistory(input, this.#loop.instructions === undefined ? config.system : undefined),
      steps: [],
      usage: emptyUsage(),
      cost: config.priced ? emptyCost(currency, config.model) : undefined,
      consecutiveToolErrors: 0,
      outputRetries: 0,
      output: undefined,
      pendingTurn: undefined,
      decisions: {},
      runId: runId ?? newId('run'),
    };
  }
}

function debugEnabled(logger: Logger): boolean {
  return typeof logger.isLevelEnabled === 'function' ? logger.isLevelEnabled('debug') : true;
}

/**
 * The request options of every model call of a run, read once when the run starts: the run's
 * signal, and a frozen copy of headers given as a plain object of strings (core then merges them
 * with the client's once per run, not on every request). Anything else is passed as it is, for
 * core to check on each request as before.
 */
function runRequestOptions(source: RequestOptions | undefined, signal: AbortSignal): RequestOptions {
  const options: RequestOptions = { ...source, signal };
  const headers = source?.headers;
  if (
    typeof headers !== 'object' ||
    headers === null ||
    Object.getPrototypeOf(headers) !== Object.prototype
  ) {
    return options;
  }
  const copy: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== 'string') return options;
    copy[name] = value;
  }
  options.headers = freezeOwnData(copy);
  return options;
}
