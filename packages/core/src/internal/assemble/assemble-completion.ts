/** Builds a FIM `text_completion` from its stream chunks (text pieces, logprobs, usage). */

import type {
  Completion,
  CompletionChoice,
  CompletionChunk,
  CompletionLogprobs,
} from '../../wire/wire-types.js';
import type { StreamAssembler } from './assemble.js';
import { AssemblerCore } from './assemble-core.js';

/** A FIM completion as assembled so far. */
export type CompletionSnapshot = Completion;

interface LogprobsState {
  text_offset: number[];
  token_logprobs: number[];
  tokens: string[];
  top_logprobs: Array<Record<string, number>>;
}

interface ChoiceState {
  index: number;
  text: string;
  logprobs: LogprobsState | undefined;
  finishReason: CompletionChoice['finish_reason'];
}

/** Assembles FIM stream chunks into a `text_completion`. */
export class CompletionAssembler implements StreamAssembler<CompletionChunk, Completion, CompletionSnapshot> {
  readonly #core = new AssemblerCore<CompletionChoice, ChoiceState>(newChoice);

  get chunks(): number {
    return this.#core.chunks;
  }

  add(chunk: CompletionChunk): void {
    const core = this.#core;
    const choices = core.add(chunk);
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]!;
      const state = core.state(choice.index, i);
      if (typeof choice.text === 'string') state.text += choice.text;
      if (choice.logprobs) addLogprobs(state, choice.logprobs);
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  isFinished(): boolean {
    return this.#core.isFinished();
  }

  result(): Completion {
    return this.snapshot();
  }

  snapshot(): CompletionSnapshot {
    const choices: CompletionChoice[] = [];
    for (const state of this.#core.states) {
      if (state === undefined) continue;
      choices.push({
        index: state.index,
        text: state.text,
        logprobs: state.logprobs ?? null,
        finish_reason: state.finishReason,
      });
    }
    return this.#core.build('text_completion', choices);
  }
}

function newChoice(index: number): ChoiceState {
  return { index, text: '', logprobs: undefined, finishReason: null };
}

function addLogprobs(state: ChoiceState, logprobs: CompletionLogprobs): void {
  state.logprobs ??= { text_offset: [], token_logprobs: [], tokens: [], top_logprobs: [] };
  const target = state.logprobs;
  if (logprobs.text_offset) for (const value of logprobs.text_offset) target.text_offset.push(value);
  if (logprobs.token_logprobs) for (const value of logprobs.token_logprobs) target.token_logprobs.push(value);
  if (logprobs.tokens) for (const value of logprobs.tokens) target.tokens.push(value);
  if (logprobs.top_logprobs) for (const value of logprobs.top_logprobs) target.top_logprobs.push(value);
}
