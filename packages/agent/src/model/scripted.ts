import type { ChatMessage, FinishReason, ToolCall, Usage } from '@plumb/core';
import { assistantMessage } from '../step/messages.js';
import { withPartialTurn } from './partial.js';
import type { Model, ModelRequest, ModelTurn } from './types.js';

/** A tool call of a scripted turn; the id defaults to `call_<turn>_<position>`. */
export interface ScriptedToolCall {
  name: string;
  /** An object (serialized with JSON.stringify) or the raw argument text. @default {} */
  arguments?: unknown;
  id?: string | undefined;
}

/** One scripted answer (the same shape as an emulator script entry, where they overlap). */
export interface ScriptedAnswer {
  content?: string | undefined;
  reasoning?: string | undefined;
  toolCalls?: readonly ScriptedToolCall[] | undefined;
  /** @default 'tool_calls' with tool calls, else 'stop' */
  finishReason?: FinishReason | undefined;
  /** Token usage. @default 10 prompt (cache miss) + 10 completion tokens */
  usage?: Usage | undefined;
}

/** A scripted failure: the turn throws `error`, with what "arrived" attached as the partial turn. */
export interface ScriptedFailure {
  error: unknown;
  partial?: { text?: string | undefined; reasoning?: string | undefined } | undefined;
}

/** One entry of a script: an answer, a failure, or a function of the request returning either. */
export type ScriptedTurn =
  | ScriptedAnswer
  | ScriptedFailure
  | ((request: ModelRequest) => ScriptedAnswer | ScriptedFailure | Promise<ScriptedAnswer | ScriptedFailure>);

/** A `Model` answering from a script, one entry per turn, with what it was asked. */
export interface ScriptedModel extends Model {
  /** Every request so far, in order; each `messages` is a copy taken when the turn was asked. */
  readonly requests: ModelRequest[];
  /** Throws unless every scripted turn was used. */
  assertDone(): void;
}

export interface ScriptedModelOptions {
  /** @default 'deepseek-flash' (so costs are priced as that model) */
  modelId?: string | undefined;
}

/**
 * A model for unit tests of loop logic: no HTTP, no emulator. Each turn takes the next entry of
 * `script`; a turn past its end throws (a loop that asks more than it should fails loudly), and
 * `assertDone()` fails when entries were left (a loop that stopped early). With `onDelta` set
 * (`agent.stream()`) the reasoning and the text are streamed as one delta each. The run's
 * signal is honoured: an aborted request throws its reason.
 *
 * @example
 * const model = scriptedModel([
 *   { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
 *   { content: 'Sunny in Paris.' },
 * ]);
 * const result = await new Agent({ model, tools: [getWeather] }).run('Weather in Paris?');
 * model.assertDone();
 */
export function scriptedModel(
  script: readonly ScriptedTurn[],
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const entries = script.slice();
  const requests: ModelRequest[] = [];
  let used = 0;
  return {
    modelId: options.modelId ?? 'deepseek-flash',
    requests,
    assertDone() {
      if (used < entries.length) {
        throw new Error(
          `scriptedModel: ${entries.length - used} of ${entries.length} scripted turns were never requested.`,
        );
      }
    },
    async turn(request) {
      requests.push({ ...request, messages: request.messages.slice() as ChatMessage[] });
      const index = used;
      const entry = entries[index];
      if (entry === undefined) {
        throw new Error(
          `scriptedModel: turn ${index + 1} was requested, but the script has ${entries.length} turn(s).`,
        );
      }
      used++;
      const signal = request.requestOptions.signal;
      signal?.throwIfAborted();
      const answer = typeof entry === 'function' ? await entry(request) : entry;
      signal?.throwIfAborted();
      if ('error' in answer) {
        const partial = answer.partial;
        throw withPartialTurn(answer.error, {
          text: partial?.text ?? '',
          reasoning: partial?.reasoning ?? '',
        });
      }
      return scriptedTurn(answer, index, request);
    },
  };
}

function scriptedTurn(answer: ScriptedAnswer, index: number, request: ModelRequest): ModelTurn {
  const content = answer.content ?? '';
  const reasoning = answer.reasoning ?? '';
  const onDelta = request.onDelta;
  if (onDelta !== undefined) {
    if (reasoning !== '') onDelta('reasoning-delta', reasoning);
    if (content !== '') onDelta('text-delta', content);
  }
  const calls: ToolCall[] | undefined = answer.toolCalls?.map((call, position) => ({
    id: call.id ?? `call_${index}_${position}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    },
  }));
  return {
    message: assistantMessage(content, reasoning, calls),
    usage: answer.usage ?? defaultUsage(),
    finishReason: answer.finishReason ?? (calls !== undefined && calls.length > 0 ? 'tool_calls' : 'stop'),
  };
}

function defaultUsage(): Usage {
  return {
    prompt_tokens: 10,
    completion_tokens: 10,
    total_tokens: 20,
    prompt_cache_hit_tokens: 0,
    prompt_cache_miss_tokens: 10,
  };
}
