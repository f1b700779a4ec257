/** Builds a FIM `text_completion` from its stream chunks (text pieces, logprobs, usage). */
import type { StreamAssembler } from './assemble.js';
import type {
  Completion,
  CompletionChoice,
  CompletionChunk,
  CompletionLogprobs,
  Usage,
} from './wire-types.js';

/** A FIM choice as assembled so far. */
export type CompletionSnapshotChoice = CompletionChoice;

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
  #chunks = 0;
  #id = '';
  #created = 0;
  #model = '';
  #fingerprint: string | null | undefined = undefined;
  #usage: Usage | undefined = undefined;
  readonly #choices: ChoiceState[] = [];

  get chunks(): number {
    return this.#chunks;
  }

  add(chunk: CompletionChunk): void {
    this.#chunks++;
    if (this.#id === '' && typeof chunk.id === 'string') {
      this.#id = chunk.id;
      this.#created = chunk.created;
      this.#model = chunk.model;
    }
    if (chunk.system_fingerprint !== undefined) this.#fingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.#usage = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]!;
      const index = typeof choice.index === 'number' ? choice.index : i;
      let state = this.#choices[index];
      if (state === undefined) {
        state = { index, text: '', logprobs: undefined, finishReason: null };
        this.#choices[index] = state;
      }
      if (typeof choice.text === 'string') state.text += choice.text;
      if (choice.logprobs) addLogprobs(state, choice.logprobs);
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  isFinished(): boolean {
    let seen = false;
    for (const state of this.#choices) {
      if (state === undefined) continue;
      if (state.finishReason === null) return false;
      seen = true;
    }
    return seen;
  }

  result(): Completion {
    return this.snapshot();
  }

  snapshot(): CompletionSnapshot {
    const choices: CompletionChoice[] = [];
    for (const state of this.#choices) {
      if (state === undefined) continue;
      choices.push({
        index: state.index,
        text: state.text,
        logprobs: state.logprobs ?? null,
        finish_reason: state.finishReason,
      });
    }
    const completion: Completion = {
      id: this.#id,
      object: 'text_completion',
      created: this.#created,
      model: this.#model,
      choices,
    };
    if (this.#usage !== undefined) completion.usage = this.#usage;
    if (this.#fingerprint !== undefined) completion.system_fingerprint = this.#fingerprint;
    return completion;
  }
}

function addLogprobs(state: ChoiceState, logprobs: CompletionLogprobs): void {
  state.logprobs ??= { text_offset: [], token_logprobs: [], tokens: [], top_logprobs: [] };
  const target = state.logprobs;
  if (logprobs.text_offset) for (const value of logprobs.text_offset) target.text_offset.push(value);
  if (logprobs.token_logprobs) for (const value of logprobs.token_logprobs) target.token_logprobs.push(value);
  if (logprobs.tokens) for (const value of logprobs.tokens) target.tokens.push(value);
  if (logprobs.top_logprobs) for (const value of logprobs.top_logprobs) target.top_logprobs.push(value);
}
