import type { LoopSpec } from '../bench-script.js';

/** Where the frameworks send their requests. */
export interface Target {
  /** The emulator's base URL. */
  url: string;
  /** The replay server of the stream scenario. */
  streamURL: string;
  apiKey: string;
  model: string;
}

/** `non-stream`: one JSON answer per step; `stream`: SSE chunks assembled per step. */
export type LoopMode = 'non-stream' | 'stream';

/** One way a framework runs the tool loop. */
export interface LoopRunner {
  /** Row label, e.g. `plumb Agent.run()`. */
  label: string;
  mode: LoopMode;
  /** A note for the table, e.g. that the agent streams internally. */
  note?: string | undefined;
  /** Set when the row must not be judged against the goal, with the reason. */
  notJudged?: string | undefined;
  /** Runs the loop to the end; resolves with the final answer text. */
  run(spec: LoopSpec): Promise<string>;
}

/** One way a framework consumes a long streamed answer. */
interface StreamReader {
  label: string;
  /** Reads the whole answer; resolves with the content it assembled. */
  read(): Promise<string>;
}

/** What one framework (or the floor) brings to the bench. */
export interface Framework {
  /** Short name, e.g. `plumb`, `openai`. */
  name: string;
  /** Package versions, for the table header and docs. */
  versions: Record<string, string>;
  loops: LoopRunner[];
  /**
   * The loop used where one agent-like loop per framework is compared (many agents, parallel
   * tools): streaming, like plumb's agent.
   */
  agentLoop: LoopRunner;
  readers: StreamReader[];
}
