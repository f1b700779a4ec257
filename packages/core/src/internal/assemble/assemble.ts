/**
 * Builds the whole chat completion from its stream chunks: content, the full `reasoning_content`
 * (every fragment, not the last), tool calls by index with their exact argument strings, logprobs,
 * usage and finish_reason. Pure and synchronous; the stream feeds it chunk by chunk.
 */

import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionMessage,
  ChoiceLogprobs,
  FinishReason,
  TokenLogprob,
  ToolCall,
  ToolCallDelta,
} from '../../wire/wire-types.js';
import { AssemblerCore } from './assemble-core.js';

/** A choice as assembled so far: `finish_reason` is null until the chunk that carries it. */
export interface ChatCompletionSnapshotChoice extends Omit<ChatCompletionChoice, 'finish_reason'> {
  finish_reason: FinishReason | null;
}

/** A chat completion as assembled so far (what `StreamInterruptedError.partial` holds). */
export interface ChatCompletionSnapshot extends Omit<ChatCompletion, 'choices'> {
  choices: ChatCompletionSnapshotChoice[];
}

/** Accumulates chunks into a completion; what every stream of this package is built on. */
export interface StreamAssembler<TChunk, TResult, TSnapshot> {
  /** Chunks added so far. */
  readonly chunks: number;
  add(chunk: TChunk): void;
  /** True once every choice seen has a finish_reason. */
  isFinished(): boolean;
  /** What arrived so far (finish_reason may be null). */
  snapshot(): TSnapshot;
  /** The assembled result; call it once `isFinished()` is true. */
  result(): TResult;
}

interface ToolCallState {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

interface ChoiceState {
  index: number;
  content: string | null;
  /** undefined: no `reasoning_content` key seen (non-thinking stream): the key is left out. */
  reasoning: string | null | undefined;
  toolCalls: ToolCallState[] | undefined;
  logContent: TokenLogprob[] | null;
  logReasoning: TokenLogprob[] | undefined;
  hasLogprobs: boolean;
  finishReason: FinishReason | null;
}

function newChoice(index: number): ChoiceState {
  return {
    index,
    content: null,
    reasoning: undefined,
    toolCalls: undefined,
    logContent: null,
    logReasoning: undefined,
    hasLogprobs: false,
    finishReason: null,
  };
}

/** Assembles `chat.completion.chunk`s into a `chat.completion`. */
export class ChatCompletionAssembler
  implements StreamAssembler<ChatCompletionChunk, ChatCompletion, ChatCompletionSnapshot>
{
  readonly #core = new AssemblerCore<ChatCompletionChunkChoice, ChoiceState>(newChoice);

  get chunks(): number {
    return this.#core.chunks;
  }

  add(chunk: ChatCompletionChunk): void {
    const core = this.#core;
    const choices = core.add(chunk);
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]!;
      const state = core.state(choice.index, i);
      const delta = choice.delta;
      if (delta) {
        const content = delta.content;
        if (typeof content === 'string')
          state.content = state.content === null ? content : state.content + content;
        const reasoning = delta.reasoning_content;
        if (typeof reasoning === 'string') {
          state.reasoning = typeof state.reasoning === 'string' ? state.reasoning + reasoning : reasoning;
        } else if (reasoning === null && state.reasoning === undefined) {
          state.reasoning = null;
        }
        if (delta.tool_calls) addToolCalls(state, delta.tool_calls);
      }
      const logprobs = choice.logprobs;
      if (logprobs) addLogprobs(state, logprobs);
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  isFinished(): boolean {
    return this.#core.isFinished();
  }

  result(): ChatCompletion {
    return this.snapshot() as ChatCompletion;
  }

  snapshot(): ChatCompletionSnapshot {
    const choices: ChatCompletionSnapshotChoice[] = [];
    for (const state of this.#core.states) if (state !== undefined) choices.push(buildChoice(state));
    return this.#core.build('chat.completion', choices);
  }
}

function addToolCalls(state: ChoiceState, deltas: ToolCallDelta[]): void {
  state.toolCalls ??= [];
  const calls = state.toolCalls;
  for (let i = 0; i < deltas.length; i++) {
    const delta = deltas[i]!;
    const index = typeof delta.index === 'number' ? delta.index : i;
    let call = calls[index];
    if (call === undefined) {
      call = { index, id: '', name: '', arguments: '' };
      calls[index] = call;
    }
    if (delta.id) call.id = delta.id;
    const fn = delta.function;
    if (fn) {
      // Names arrive whole in DeepSeek's header fragment; arguments arrive in pieces.
      if (fn.name) call.name = fn.name;
      if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
    }
  }
}

function addLogprobs(state: ChoiceState, logprobs: ChoiceLogprobs): void {
  const content = logprobs.content;
  if (Array.isArray(content)) {
    state.hasLogprobs = true;
    if (state.logContent === null) state.logContent = content.slice();
    else for (const item of content) state.logContent.push(item);
  }
  const reasoning = logprobs.reasoning_content;
  if (Array.isArray(reasoning)) {
    state.hasLogprobs = true;
    if (state.logReasoning === undefined) state.logReasoning = reasoning.slice();
    else for (const item of reasoning) state.logReasoning.push(item);
  }
}

function buildChoice(state: ChoiceState): ChatCompletionSnapshotChoice {
  const message: ChatCompletionMessage = { role: 'assistant', content: state.content };
  if (state.reasoning !== undefined) message.reasoning_content = state.reasoning;
  if (state.toolCalls !== undefined) {
    const toolCalls: ToolCall[] = [];
    for (const call of state.toolCalls) {
      if (call === undefined) continue;
      toolCalls.push({
        index: call.index,
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      });
    }
    message.tool_calls = toolCalls;
  }
  let logprobs: ChoiceLogprobs | null = null;
  if (state.hasLogprobs) {
    logprobs = { content: state.logContent };
    if (state.logReasoning !== undefined) logprobs.reasoning_content = state.logReasoning;
  }
  return { index: state.index, message, logprobs, finish_reason: state.finishReason };
}
