import type { Logger } from '@plumb/core';
import type { ToolParameters } from '@plumb/tools';
import type { Agent } from '../agent.js';
import { MaxStepsExceededError } from '../errors.js';
import type { InferOutput, RunInput, RunOptions } from '../options/options.js';
import type { RunState } from '../state/run-state.js';
import type { AgentResult } from './result.js';
import type { AgentStream } from './run-stream.js';

/**
 * `run(agent, input)`, the OpenAI Agents SDK's shape, beside `agent.run(input)`: the same run.
 * `{ stream: true }` gives `agent.stream(input)` (an `AgentStream`), like the Agents SDK's
 * `run(agent, input, { stream: true })`.
 *
 * @example
 * import { Agent, run } from '@plumb/agent';
 * const result = await run(agent, 'What is the weather in Paris?');
 */
export function run<TSchema extends ToolParameters | undefined>(
  agent: Agent<TSchema>,
  input: RunInput | RunState,
  options: RunOptions & { stream: true },
): AgentStream<InferOutput<TSchema>>;
export function run<TSchema extends ToolParameters | undefined>(
  agent: Agent<TSchema>,
  input: RunInput | RunState,
  options?: RunOptions & { stream?: false | undefined },
): Promise<AgentResult<InferOutput<TSchema>>>;
export function run<TSchema extends ToolParameters | undefined>(
  agent: Agent<TSchema>,
  input: RunInput | RunState,
  options?: RunOptions & { stream?: boolean | undefined },
): Promise<AgentResult<InferOutput<TSchema>>> | AgentStream<InferOutput<TSchema>> {
  if (options === undefined) return agent.run(input);
  const { stream, ...rest } = options;
  return stream === true ? agent.stream(input, rest) : agent.run(input, rest);
}

/**
 * The end of `agent.run()` / `agent.stream().result`: `throwOnMaxSteps`, then the AI SDK's
 * `onFinish(result)` or `onError({ error })`. A callback that throws is logged at `warn` on the
 * agent's logger and does not change the outcome (like hooks: they observe, they do not steer).
 */
export async function settleRun<T>(
  pending: Promise<AgentResult<T>>,
  options: RunOptions | undefined,
  logger: Logger,
): Promise<AgentResult<T>> {
  let result: AgentResult<T>;
  try {
    result = checkMaxSteps(await pending, options);
  } catch (error) {
    await callback('onError', () => options?.onError?.({ error }), logger);
    throw error;
  }
  await callback('onFinish', () => options?.onFinish?.(result as AgentResult<unknown>), logger);
  return result;
}

async function callback(name: string, call: () => unknown, logger: Logger): Promise<void> {
  try {
    await call();
  } catch (error) {
    logger.warn({ err: error, callback: name }, `agent ${name} callback threw; the run's outcome stands`);
  }
}

/**
 * With `throwOnMaxSteps`, a run that used up `maxSteps` rejects with MaxStepsExceededError (the
 * Agents SDK's `MaxTurnsExceededError`) instead of resolving with `finishReason: 'max_steps'`.
 * Off by default: a partial answer is often still useful, and the result carries it.
 */
function checkMaxSteps<T>(result: AgentResult<T>, options: RunOptions | undefined): AgentResult<T> {
  if (options?.throwOnMaxSteps === true && result.finishReason === 'max_steps') {
    throw new MaxStepsExceededError(result as AgentResult<unknown>);
  }
  return result;
}
