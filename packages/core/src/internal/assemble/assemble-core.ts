/**
 * The bookkeeping both stream assemblers share: the chunk count, the header fields every chunk
 * repeats (id, created, model, system_fingerprint, usage) and the per-choice state looked up by
 * `index`. Each assembler supplies how a choice's state starts and adds each chunk choice to it
 * itself (kept inline in its own `add`: the hot loop). Allocation-free per chunk (a choice's
 * state is created once, on its first chunk).
 */
import type { Usage } from '../../wire/wire-types.js';

/** The fields of a stream chunk the shared bookkeeping reads. */
export interface ChunkHeader<TChoice> {
  id: string;
  created: number;
  model: string;
  system_fingerprint?: string | null | undefined;
  usage?: Usage | null | undefined;
  choices: TChoice[];
}

/** The header of an assembled completion, in wire key order, with its choices. */
export interface AssembledHeader<TObject extends string, TChoice> {
  id: string;
  object: TObject;
  created: number;
  model: string;
  choices: TChoice[];
  usage?: Usage | undefined;
  system_fingerprint?: string | null | undefined;
}

/** What `add` returns for a chunk without a `choices` array (shared: no allocation per chunk). */
const NO_CHOICES: readonly never[] = Object.freeze([]);

/** Starts the state of the choice at `index` (called on its first chunk). */
export type NewChoiceState<TState> = (index: number) => TState;

/** Header fields, chunk count and choice states of one stream being assembled. */
export class AssemblerCore<TChoice, TState extends { finishReason: unknown }> {
  /** Choice states by choice index (sparse until every index has arrived). */
  readonly states: TState[] = [];
  #chunks = 0;
  #id = '';
  #created = 0;
  #model = '';
  #fingerprint: string | null | undefined = undefined;
  #usage: Usage | undefined = undefined;
  readonly #newState: NewChoiceState<TState>;

  constructor(newState: NewChoiceState<TState>) {
    this.#newState = newState;
  }

  /** Chunks added so far. */
  get chunks(): number {
    return this.#chunks;
  }

  /** Counts the chunk, records its header fields and returns its choices (none: an empty list). */
  add(chunk: ChunkHeader<TChoice>): readonly TChoice[] {
    this.#chunks++;
    if (this.#id === '' && typeof chunk.id === 'string') {
      this.#id = chunk.id;
      this.#created = chunk.created;
      this.#model = chunk.model;
    }
    if (chunk.system_fingerprint !== undefined) this.#fingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.#usage = chunk.usage;
    const choices = chunk.choices;
    return Array.isArray(choices) ? choices : NO_CHOICES;
  }

  /**
   * The state of the choice at `index` (at its `position` in the chunk when `index` is not a
   * number), made on first use.
   */
  state(index: unknown, position: number): TState {
    const at = typeof index === 'number' ? index : position;
    let state = this.states[at];
    if (state === undefined) {
      state = this.#newState(at);
      this.states[at] = state;
    }
    return state;
  }

  /** True once every choice seen has a finish_reason (and at least one was seen). */
  isFinished(): boolean {
    let seen = false;
    for (const state of this.states) {
      if (state === undefined) continue;
      if (state.finishReason === null) return false;
      seen = true;
    }
    return seen;
  }

  /** The completion object around `choices`: usage and system_fingerprint only once seen. */
  build<TObject extends string, TOut>(object: TObject, choices: TOut[]): AssembledHeader<TObject, TOut> {
    const completion: AssembledHeader<TObject, TOut> = {
      id: this.#id,
      object,
      created: this.#created,
      model: this.#model,
      choices,
    };
    if (this.#usage !== undefined) completion.usage = this.#usage;
    if (this.#fingerprint !== undefined) completion.system_fingerprint = this.#fingerprint;
    return completion;
  }
}
