import type { ChatCompletionStreamParams } from '@plumb/core';
import { addUsage, type ChatMessage, type Cost, costOf, type Usage } from '@plumb/core';
import { AgentError } from '../errors.js';
import { addCost, type Progress, type RunContext } from '../run/run-context.js';
import { shareHistory } from '../step/history-seal.js';
import { TokenEstimator } from './estimate.js';
import { checkRewrite } from './guards.js';
import { knownLimits, modelsLimits } from './limits.js';
import {
  type ContextConfig,
  type ContextOptions,
  type ContextTrigger,
  type PrepareStep,
  runContextConfig,
} from './options.js';
import type { CompactionReport } from './report.js';

/** Even after every strategy ran, the request does not fit the context window. */
export class ContextWindowError extends AgentError {
  override readonly name: string = 'ContextWindowError';
  readonly tokens: number;
  readonly limit: number;

  constructor(tokens: number, limit: number) {
    super(
      `The next request is about ${tokens} tokens, over the ${limit} the context window leaves for input, even after compaction. ` +
        'Add dropOldestTurns() to context.strategies, lower their keepLast, or lower maxTokens.',
    );
    this.tokens = tokens;
    this.limit = limit;
  }
}

/** The context management of one run, or undefined when neither the agent nor the run asks for it. */
export function startContextRun(
  agent: ContextConfig | undefined,
  run: { context?: ContextOptions | undefined; prepareStep?: PrepareStep | undefined },
  params: Omit<ChatCompletionStreamParams, 'messages'>,
): ContextRun | undefined {
  const config = runContextConfig(agent, run, params);
  return config === undefined ? undefined : new ContextRun(config, JSON.stringify(params.tools ?? []));
}

/**
 * One run's context management: calibrates the token estimate from each response, compacts the
 * history before a step when a trigger fires, then lets `prepareStep` change it, checking every
 * rewrite with the guards. Lives as long as the run.
 */
export class ContextRun {
  readonly reports: CompactionReport[] = [];
  readonly #config: ContextConfig;
  readonly #estimator: TokenEstimator;
  #limit: number | undefined;
  /** The step index and rule count of the last request sent, for calibration. */
  #sent: { step: number; tenths: number } | undefined;
  #waiting: CompactionReport | undefined;

  constructor(config: ContextConfig, toolsText: string) {
    this.#config = config;
    this.#estimator = new TokenEstimator(toolsText);
  }

  /** Called before each model request; may replace `progress.messages`. */
  async beforeStep(context: RunContext, progress: Progress, stepIndex: number): Promise<void> {
    this.#learn(progress);
    const limit = await this.#usableWindow(context);
    const config = this.#config;
    let tokens = this.#estimator.requestTokens(progress.messages);
    const fired = this.#fired(context, progress, tokens, limit);
    if (fired !== undefined && config.strategies.length > 0) {
      tokens = await this.#compact(context, progress, stepIndex, tokens, limit, fired);
    }
    if (config.prepareStep !== undefined) {
      // loop-control.ts applies what it returns (messages, tools, model, thinking, instructions).
      const event = { stepIndex, tokens, limit };
      const loop = context.loop;
      if (loop !== undefined) {
        if (await loop.prepare(config.prepareStep, context, progress, event, config.thinking))
          tokens = this.#estimator.requestTokens(progress.messages);
      }
    }
    // Only when compaction was configured: a bare prepareStep leaves the verdict to DeepSeek.
    if (tokens > limit && config.strategies.length > 0) throw new ContextWindowError(tokens, limit);
    this.#sent = { step: stepIndex, tenths: this.#estimator.requestTenths(progress.messages) };
  }

  /** The run's compaction reports, the last one's after-ratio filled in if its step ended the run. */
  finish(progress: Progress): CompactionReport[] {
    this.#learn(progress);
    return this.reports;
  }

  /** Calibrates with the last step's usage, and completes the last report's after-ratio. */
  #learn(progress: Progress): void {
    const last = progress.steps[progress.steps.length - 1];
    if (last === undefined || this.#sent === undefined || last.index !== this.#sent.step) return;
    this.#estimator.calibrate(last.usage.prompt_tokens, this.#sent.tenths);
    if (this.#waiting !== undefined && this.#waiting.stepIndex === last.index) {
      this.#waiting.cacheHitRatioAfter = last.cacheHitRatio;
      this.#waiting = undefined;
    }
  }

  async #usableWindow(context: RunContext): Promise<number> {
    if (this.#limit !== undefined) return this.#limit;
    const { config } = context;
    const model = config.model;
    let limits = knownLimits(model);
    if (this.#config.window === 'models') {
      try {
        limits = await modelsLimits(config.client, model, context.signal);
      } catch (error) {
        config.logger.warn({ err: error }, 'GET /models failed; using the published context window');
      }
    }
    const window = typeof this.#config.window === 'number' ? this.#config.window : limits.contextWindow;
    // DeepSeek caps max_tokens at the model's output limit, so the reserve never exceeds it.
    const reserve = Math.min(this.#config.reserve, limits.maxOutputTokens);
    if (window <= reserve) throw new ContextWindowError(0, window - reserve);
    this.#limit = window - reserve;
    return this.#limit;
  }

  /** The first trigger that fires, `window` if the request would not fit, else undefined. */
  #fired(
    context: RunContext,
    progress: Progress,
    tokens: number,
    limit: number,
  ): { trigger: CompactionReport['trigger']; threshold: number } | undefined {
    for (const trigger of this.#config.triggers) {
      const threshold = thresholdOf(trigger, limit);
      if ('costPerStep' in trigger) {
        if (this.#stepCost(context, progress.messages, tokens) >= trigger.costPerStep) {
          return { trigger: 'costPerStep', threshold: tokens };
        }
      } else if (tokens >= threshold) {
        return { trigger: 'fraction' in trigger ? 'fraction' : 'tokens', threshold };
      }
    }
    return tokens > limit ? { trigger: 'window', threshold: limit } : undefined;
  }

  /** Estimated input cost of the next request: the cacheable prefix at the hit price. */
  #stepCost(context: RunContext, messages: readonly ChatMessage[], tokens: number): number {
    const hit = Math.min(tokens, this.#cacheable(messages));
    const usage: Usage = {
      prompt_tokens: tokens,
      completion_tokens: 0,
      total_tokens: tokens,
      prompt_cache_hit_tokens: hit,
      prompt_cache_miss_tokens: tokens - hit,
    };
    try {
      return costOf(usage, context.config.model, { at: new Date(), currency: context.currency }).total;
    } catch {
      return 0; // a model without a published price never fires a cost trigger
    }
  }

  /** Tokens DeepSeek has cached for the next request: everything up to the last assistant turn. */
  #cacheable(messages: readonly ChatMessage[]): number {
    let end = messages.length;
    while (end > 0 && messages[end - 1]?.role !== 'assistant') end--;
    return roundDown64(this.#estimator.rangeTokens(messages, 0, end));
  }

  async #compact(
    context: RunContext,
    progress: Progress,
    stepIndex: number,
    tokens: number,
    limit: number,
    fired: { trigger: CompactionReport['trigger']; threshold: number },
  ): Promise<number> {
    const before = progress.messages;
    const target = Math.min(limit, Math.floor(fired.threshold * this.#config.target));
    let current: readonly ChatMessage[] = before;
    let estimate = tokens;
    const applied: string[] = [];
    let usage: Usage | undefined;
    let cost: Cost | undefined;
    for (const strategy of this.#config.strategies) {
      if (estimate <= target) break;
      const output = await strategy.compact({
        messages: shareHistory(current),
        excess: estimate - target,
        tokensOf: (message) => this.#estimator.messageTokens(message),
        client: context.config.client,
        signal: context.signal,
        userId: context.userId ?? context.config.params.user_id,
        currency: context.currency,
      });
      if (output === undefined) continue;
      current = checkRewrite(strategy.name, current, output.messages, this.#config.thinking);
      estimate = this.#estimator.requestTokens(current);
      applied.push(strategy.name);
      if (output.usage !== undefined) {
        usage = usage === undefined ? output.usage : addUsage(usage, output.usage);
        cost = cost === undefined ? output.cost : addCost(cost, output.cost);
      }
    }
    if (applied.length === 0) return tokens;
    let from = 0;
    while (from < before.length && from < current.length && before[from] === current[from]) from++;
    const kept = roundDown64(this.#estimator.rangeTokens(before, 0, from));
    const last = progress.steps[progress.steps.length - 1];
    const report: CompactionReport = {
      stepIndex,
      trigger: fired.trigger,
      strategies: applied,
      before: { messages: before.length, tokens },
      after: { messages: current.length, tokens: estimate },
      from,
      cacheTokensLost: Math.max(0, this.#cacheable(before) - kept),
      cacheHitRatioBefore: last?.cacheHitRatio ?? 0,
      cacheHitRatioAfter: undefined,
      usage,
      cost,
    };
    progress.messages = current.slice();
    if (usage !== undefined) {
      progress.usage = addUsage(progress.usage, usage);
      progress.cost = addCost(progress.cost, cost);
    }
    this.reports.push(report);
    this.#waiting = report;
    context.emit?.({ type: 'context-compacted', stepIndex, report });
    return estimate;
  }
}

function thresholdOf(trigger: ContextTrigger, limit: number): number {
  if ('fraction' in trigger) return Math.floor(trigger.fraction * limit);
  if ('tokens' in trigger) return trigger.tokens;
  return limit;
}

function roundDown64(tokens: number): number {
  return tokens - (tokens % 64);
}
