/**
 * Public types of the DeepSeek emulator. @plumb/testing has no runtime dependency on
 * @plumb/core (core's tests depend on this package), so request bodies are typed loosely here.
 */

export type EmulatorFinishReason =
  | 'stop'
  | 'length'
  | 'content_filter'
  | 'tool_calls'
  | 'insufficient_system_resource'
  | 'aborted';

/** One request the emulator received, in arrival order (also rejected ones). */
export interface RecordedRequest {
  /** 0-based arrival index. */
  index: number;
  method: string;
  /** Path as received, e.g. `/beta/chat/completions`. */
  path: string;
  /** Lower-cased header names. The Authorization header is recorded redacted (`Bearer ****abcd`). */
  headers: Record<string, string>;
  /** The raw body text, byte for byte (use it to check prefix stability across steps). */
  rawBody: string;
  /** The parsed JSON body, or undefined when it did not parse. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request fields; typing them would fight every assertion
  body: any;
  /** The HTTP status the emulator answered with. */
  status?: number | undefined;
}

/** A scripted tool call the model "makes". */
export interface ScriptedToolCall {
  name: string;
  /** An object is written the way DeepSeek writes JSON (`{"key": "value"}`, spaces after `:` and `,`); a string is sent verbatim (even invalid JSON). */
  arguments: string | Record<string, unknown>;
  /** Defaults to DeepSeek's shape: `call_NN_` + 24 alphanumerics, NN = position in the turn. */
  id?: string | undefined;
}

/** Something going wrong on the wire, for one turn or globally. */
export interface Fault {
  /** Reply with this HTTP status and DeepSeek's error envelope/text for it (429, 500, 503, 402, ...). */
  status?: number | undefined;
  /** Override the error message (default: DeepSeek's real text for the status). */
  message?: string | undefined;
  /** Override the error `type` (default: DeepSeek's type for the status). */
  type?: string | undefined;
  /** Extra response headers, e.g. `{ 'retry-after-ms': '0' }`. */
  headers?: Record<string, string> | undefined;
  /** Send a raw body instead of the JSON envelope (e.g. the openresty HTML 413 page). */
  rawBody?: string | undefined;
  /** Content-Type of the error reply (default application/json). */
  contentType?: string | undefined;
  /**
   * Queue padding before the answer: blank lines (non-stream) or `: keep-alive` comments (stream),
   * one every `intervalMs` (default 50) for `ms` in total. Status 200 and headers are sent first.
   */
  keepAlive?: { ms: number; intervalMs?: number | undefined } | undefined;
  /** Delay between stream chunks. */
  chunkDelayMs?: number | undefined;
  /** Close the stream after this many `data:` chunks: no finish_reason, no `[DONE]`. */
  cutAfterChunks?: number | undefined;
  /** Stall: send headers (and any keep-alive) then nothing more until the client goes away. */
  hang?: boolean | undefined;
  /** Stall after this many stream chunks were sent (stream idle timeout testing). */
  hangAfterChunks?: number | undefined;
  /** Send a malformed (non-JSON) `data:` line after this many chunks. */
  malformedChunkAt?: number | undefined;
  /** Send `data: {"error":{...}}` inside the 200 stream after this many chunks. */
  errorInStreamAt?: number | undefined;
  /** Destroy the socket before any response (connection error). With `keepAlive`: after the padding. */
  dropConnection?: boolean | undefined;
  /**
   * With `cutAfterChunks`: destroy the socket mid-body ("peer closed connection without sending
   * complete message body") instead of ending the body cleanly. Default false.
   */
  cutAbruptly?: boolean | undefined;
}

/** A global fault: applies to the next `times` matching requests (default: every matching one). */
export interface GlobalFault extends Fault {
  times?: number | undefined;
  /** Only requests whose path ends with this (e.g. `/chat/completions`) or that the function accepts. */
  match?: string | ((request: RecordedRequest) => boolean) | undefined;
}

/** One scripted model turn (one chat completion). */
export interface Turn {
  content?: string | undefined;
  /**
   * `reasoning_content` in thinking mode. Default: a short generated reasoning text when thinking
   * is on; ignored (never sent) when thinking is off.
   */
  reasoning?: string | undefined;
  toolCalls?: ScriptedToolCall[] | undefined;
  /** Default: `tool_calls` when toolCalls are present, else `stop`. */
  finishReason?: EmulatorFinishReason | undefined;
  /**
   * Reproduce DeepSeek V4's leak: write `toolCalls` into `content` as DSML markup
   * (`<｜DSML｜tool_calls><｜DSML｜invoke name="…">…`) with `finish_reason: "stop"` and no
   * `tool_calls`, to test how a client handles it. `'ascii'` uses `|` instead of `｜`.
   */
  leakToolCalls?: boolean | 'ascii' | undefined;
  /** Override computed usage fields. */
  usage?: Partial<Record<string, unknown>> | undefined;
  /** A fault for this turn instead of (or around) the answer. */
  fault?: Fault | undefined;
  /**
   * Assert on the request this turn answers (e.g. that a tool result is present). A throw makes
   * the emulator answer 400 with type `emulator_assertion_error` and the thrown message, and
   * records it in `emulator.failures`.
   */
  expect?: ((request: RecordedRequest) => void) | undefined;
  /** Size of content/reasoning stream deltas in characters (default: word-like tokens). */
  deltaSize?: number | undefined;
  /**
   * Render this turn's answer once and serve the same bytes to every request it answers (per
   * request variant: stream or not, thinking, model, `include_usage`, logprobs, `stop`,
   * `max_tokens`, tools or not). For long answers served many times, e.g. a multi-megabyte stream
   * in a benchmark: the stream is written from memory with no per-chunk work. The cached answer
   * keeps the id, `created`, tool-call ids and default reasoning of its first rendering; `usage` is
   * still computed per request. Stream faults that work chunk by chunk (`chunkDelayMs`,
   * `cutAfterChunks`, ...) fall back to rendering chunk by chunk. Use it with a script function
   * (or `setScript`) that returns the same `Turn` object again; the cache lives as long as the
   * object (`reset()` keeps it).
   */
  prerender?: boolean | undefined;
}

/** Context passed to a script function. */
export interface ScriptContext {
  /** 0-based index of this chat completion among the chat completions served. */
  turnIndex: number;
  /** Whether thinking mode is on for this request (default on; `thinking.type: disabled` or `reasoning_effort: none` turn it off). */
  thinking: boolean;
  /** Every request received so far, this one last (the most recent `maxLoggedRequests`). */
  requests: readonly RecordedRequest[];
}

/** A list of turns served in order, or a function of the request. */
export type Script = Turn[] | ((request: RecordedRequest, context: ScriptContext) => Turn | Promise<Turn>);

export interface EmulatorOptions {
  /** Default 0: a free port. */
  port?: number | undefined;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** The accepted API key (default `sk-test`). Requests without it get DeepSeek's 401 texts. */
  apiKey?: string | undefined;
  /** Model turns. Default: one generic answer per request. */
  script?: Script | undefined;
  /** Faults applied to matching requests before the script is consulted. */
  faults?: GlobalFault[] | undefined;
  /** The `/user/balance` answer; `is_available: false` also makes chat requests fail with 402. */
  balance?:
    | {
        /** Default `CNY`. */
        currency?: 'CNY' | 'USD' | undefined;
        /** Default: granted + topped up. */
        total?: string | undefined;
        /** Default `0.00`. */
        granted?: string | undefined;
        /** Default `100.00`. */
        toppedUp?: string | undefined;
        /** Default true. */
        isAvailable?: boolean | undefined;
      }
    | undefined;
  /**
   * Keep only the most recent N requests in `emulator.requests` (and a script function's
   * `context.requests`); `index` keeps counting. Default: keep every request. Long-running servers
   * (the CLI, benchmarks with thousands of requests) should set it: each entry holds the whole
   * request body, raw and parsed.
   */
  maxLoggedRequests?: number | undefined;
  /** Maximum in-flight requests before 429 (DeepSeek's concurrency cap). Default: unlimited. */
  concurrencyLimit?: number | undefined;
  /** Prompt-cache model (hits in 64-token units). Default true. */
  promptCache?: boolean | undefined;
  /**
   * Replay a cassette written by `startRecorder` (a file path or the parsed object) instead of
   * generating answers: each request must match an unused recorded request, or it gets a 400
   * `emulator_cassette_mismatch` naming the difference (also recorded in `failures`).
   */
  cassette?: string | Cassette | undefined;
  /** Answers for `POST /v1/tools/search`. Default: `count` generated results for the query. */
  search?: ((query: string, request: SearchRequest) => SearchResult[] | Promise<SearchResult[]>) | undefined;
  /**
   * Pages for `POST /v1/tools/fetch`, by URL (markdown string or `{ title, content }`), or a
   * function of the URL (return undefined for "cannot fetch"). Default: a generated page per URL.
   */
  pages?:
    | Record<string, string | FetchedPage>
    | ((url: string) => string | FetchedPage | undefined | Promise<string | FetchedPage | undefined>)
    | undefined;
  /** Seed for ids (completion ids, tool-call ids, trace ids) so runs are reproducible. Default: random. */
  seed?: number | undefined;
  /** Clock for `created` fields, in milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Context window for the "maximum context length" 400. Default 1048576 (DeepSeek's). A custom
   * window is also what `GET /models` reports as every model's `context_window`.
   */
  contextWindow?: number | undefined;
  /** Request bodies above this many bytes get openresty's HTML 413. Default 48 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * Files API limits (`POST /files`), lowered to test how code handles them. Defaults are
   * DeepSeek's: 64 MiB per file, 10,000 files and 25 GiB per account.
   */
  files?:
    | {
        maxFileBytes?: number | undefined;
        maxFiles?: number | undefined;
        maxStorageBytes?: number | undefined;
      }
    | undefined;
}

/** Parameters of one `POST /v1/tools/search` call. */
export interface SearchRequest {
  query: string;
  /** 1-50, default 10. */
  count: number;
}

/**
 * One search hit. The real shape is not published in full; this is the emulator's (plausible)
 * version: `rerank_score` 0-3, `authority` a tier name.
 */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  summary: string;
  rerank_score: number;
  authority: 'high' | 'medium' | 'low' | (string & {});
  published_at?: string | undefined;
}

/** A page for `POST /v1/tools/fetch`. */
export interface FetchedPage {
  title?: string | undefined;
  /** Markdown. */
  content: string;
}

/** A recorded exchange with the real API (see `startRecorder`). */
export interface CassetteInteraction {
  request: {
    method: string;
    path: string;
    /** The parsed JSON body, when it parsed. */
    body?: unknown;
    /** The raw body, when it did not parse as JSON. */
    rawBody?: string | undefined;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    /** Raw body text (non-stream answers). */
    body?: string | undefined;
    /** Raw SSE events as received, each ending in a blank line (stream answers). */
    chunks?: string[] | undefined;
  };
}

/** A cassette file: what `startRecorder` writes and `startEmulator({ cassette })` replays. */
export interface Cassette {
  version: 1;
  /** The API the cassette was recorded against. */
  target?: string | undefined;
  recordedAt?: string | undefined;
  interactions: CassetteInteraction[];
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43123` (no trailing slash). `/beta` and `/v1` live under it. */
  url: string;
  port: number;
  /** Every request received, in order (the most recent `maxLoggedRequests` when that is set). */
  requests: RecordedRequest[];
  /** Scripted-turn assertion failures (also answered with a 400). */
  failures: Error[];
  /** Number of chat completions served from the script. */
  turnsServed(): number;
  /** Throws when scripted turns (or cassette interactions) were left unused or an expectation failed. */
  assertDone(): void;
  /** Stops the server and ends every open connection (including hanging ones). */
  close(): Promise<void>;
  /** The accepted API key (pass it to the client under test). */
  apiKey: string;
  /** Replace the script; the turn cursor restarts at the new script's first turn. */
  setScript(script: Script | undefined): void;
  /** Add a global fault at run time (same semantics as `options.faults`). */
  addFault(fault: GlobalFault): void;
  /**
   * Forget requests (indexes restart at 0), failures, served turns and the prompt cache (the script
   * restarts). Renderings cached by `turn.prerender` are kept.
   */
  reset(): void;
}
