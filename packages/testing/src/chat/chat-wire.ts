import { type LogprobEntry, logprobEntries, logprobEntry } from '../wire/logprobs.js';
import { splitArguments, splitText } from '../wire/split.js';
import type { ChatAnswer } from './chat-answer.js';

/**
 * Chat answers in DeepSeek's exact wire shapes and key order (see the captures in
 * fixtures/deepseek-wire): `chat.completion.chunk` SSE events and the `chat.completion` body.
 */

export interface CompletionMeta {
  id: string;
  created: number;
  /** The model id the client sent. */
  model: string;
  fingerprint: string;
}

export interface WireOptions {
  thinking: boolean;
  /** Adds `"usage":null` to every chunk but the last (`stream_options.include_usage`). */
  includeUsage: boolean;
  logprobs: boolean;
  topLogprobs: number;
}

const json = JSON.stringify;

function chunkHead(meta: CompletionMeta): string {
  return `data: {"id":${json(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${json(meta.model)},"system_fingerprint":${json(meta.fingerprint)},"choices":[{"index":0,"delta":`;
}

/** Every `data: …\n\n` event of a streamed answer, `[DONE]` excluded, generated lazily. */
export function* chatChunkEvents(
  meta: CompletionMeta,
  answer: ChatAnswer,
  usage: Record<string, unknown>,
  options: WireOptions,
): Generator<string, void, undefined> {
  yield* chatBodyEvents(meta, answer, options);
  yield chatFinalEvent(meta, answer, usage, options);
}

/** The events before the final one: role, reasoning, content and tool-call deltas. */
export function* chatBodyEvents(
  meta: CompletionMeta,
  answer: ChatAnswer,
  options: WireOptions,
): Generator<string, void, undefined> {
  const head = chunkHead(meta);
  const usageNull = options.includeUsage ? ',"usage":null' : '';
  const tail = `,"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
  const withLogprobs = (logprobs: string) =>
    `,"logprobs":${logprobs},"finish_reason":null}]${usageNull}}\n\n`;
  const { thinking } = options;
  const first = thinking
    ? '{"role":"assistant","content":null,"reasoning_content":""}'
    : '{"role":"assistant","content":""}';
  yield head + first + tail;
  let position = 0;
  for (const piece of answer.reasoning ? splitText(answer.reasoning, answer.deltaSize) : []) {
    const end = options.logprobs
      ? withLogprobs(`{"reasoning_content":[${json(logprobEntry(piece, options.topLogprobs, position++))}]}`)
      : tail;
    yield `${head}{"content":null,"reasoning_content":${json(piece)}}${end}`;
  }
  const contentTail = thinking ? ',"reasoning_content":null}' : '}';
  for (const piece of splitText(answer.content, answer.deltaSize)) {
    const end = options.logprobs
      ? withLogprobs(`{"content":[${json(logprobEntry(piece, options.topLogprobs, position++))}]}`)
      : tail;
    yield `${head}{"content":${json(piece)}${contentTail}${end}`;
  }
  for (const [index, call] of answer.toolCalls.entries()) {
    yield `${head}{"tool_calls":[{"index":${index},"id":${json(call.id)},"type":"function","function":{"name":${json(call.name)},"arguments":""}}]}${tail}`;
    for (const piece of splitArguments(call.arguments)) {
      yield `${head}{"tool_calls":[{"index":${index},"function":{"arguments":${json(piece)}}}]}${tail}`;
    }
  }
}

/** The final event: empty delta, `finish_reason` and the usage. */
export function chatFinalEvent(
  meta: CompletionMeta,
  answer: ChatAnswer,
  usage: Record<string, unknown>,
  options: WireOptions,
): string {
  const last = options.thinking ? '{"content":"","reasoning_content":null}' : '{"content":""}';
  return `${chunkHead(meta)}${last},"logprobs":null,"finish_reason":${json(answer.finishReason)}}],"usage":${json(usage)}}\n\n`;
}

/** The non-stream body around its `usage` value (so a cached answer only re-renders usage). */
export function chatCompletionParts(
  meta: CompletionMeta,
  answer: ChatAnswer,
  options: WireOptions,
): { beforeUsage: string; afterUsage: string } {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
  if (options.thinking) message.reasoning_content = answer.reasoning ?? '';
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call, index) => ({
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  let logprobs: Record<string, LogprobEntry[]> | null = null;
  if (options.logprobs) {
    const reasoningPieces = answer.reasoning ? splitText(answer.reasoning) : [];
    logprobs = {
      content: logprobEntries(splitText(answer.content), options.topLogprobs, reasoningPieces.length),
    };
    if (options.thinking) logprobs.reasoning_content = logprobEntries(reasoningPieces, options.topLogprobs);
  }
  const head = json({
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs, finish_reason: answer.finishReason }],
  });
  return {
    beforeUsage: `${head.slice(0, -1)},"usage":`,
    afterUsage: `,"system_fingerprint":${json(meta.fingerprint)}}`,
  };
}
