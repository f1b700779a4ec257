/** The streamed chat completion (`client.chat.completions.stream`) and FIM completion. */
import { ChatCompletionAssembler, type ChatCompletionSnapshot } from '../internal/assemble/assemble.js';
import { CompletionAssembler, type CompletionSnapshot } from '../internal/assemble/assemble-completion.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  Completion,
  CompletionChunk,
} from '../wire/wire-types.js';
import { ChunkStream, type StreamSource } from './stream.js';

const encoder = new TextEncoder();

/**
 * The `stream_options` of a stream whose caller set none: usage with the last chunk. Shared and
 * frozen, so a request body serializes it once (body-json.ts), not on every request.
 */
export const INCLUDE_USAGE: { include_usage: boolean } = Object.freeze({ include_usage: true });

/**
 * A streamed chat completion: iterate the chunks once with `for await`, or call
 * `finalCompletion()` (before, during or after iterating) for the assembled completion with the
 * full reasoning_content and tool-call arguments. Breaking out of the loop aborts the request.
 * A stream that stops without a finish_reason rejects with `StreamInterruptedError`.
 *
 * @example
 * const stream = client.chat.completions.stream({ model: 'deepseek-flash', messages });
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
 * const completion = await stream.finalCompletion();
 */
export class ChatCompletionStream extends ChunkStream<
  ChatCompletionChunk,
  ChatCompletion,
  ChatCompletionSnapshot
> {
  /** @internal Built by `client.chat.completions.stream()`. */
  constructor(source: StreamSource) {
    super(source, new ChatCompletionAssembler());
  }

  /** The whole completion, assembled from every chunk (drains what is left of the stream). */
  finalCompletion(): Promise<ChatCompletion> {
    return this.final();
  }

  /** The assistant message of the first choice of `finalCompletion()`. */
  async finalMessage(): Promise<ChatCompletionMessage> {
    const completion = await this.final();
    return completion.choices[0]!.message;
  }

  /** The answer text only, delta by delta (consumes the stream like `for await` does). */
  async *textStream(): AsyncGenerator<string, void, undefined> {
    for await (const chunk of this) {
      const content = chunk.choices[0]?.delta.content;
      if (content) yield content;
    }
  }

  /** A byte stream of newline-delimited JSON chunks, e.g. for a web `Response` body. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toNdjson(this);
  }
}

/** A streamed FIM completion (`client.completions.stream`). */
export class CompletionStream extends ChunkStream<CompletionChunk, Completion, CompletionSnapshot> {
  /** @internal Built by `client.completions.stream()`. */
  constructor(source: StreamSource) {
    super(source, new CompletionAssembler());
  }

  /** The whole completion, assembled from every chunk (drains what is left of the stream). */
  finalCompletion(): Promise<Completion> {
    return this.final();
  }

  /** A byte stream of newline-delimited JSON chunks. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toNdjson(this);
  }
}

function toNdjson<T>(stream: AsyncIterable<T>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<T> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= stream[Symbol.asyncIterator]();
      try {
        const step = await iterator.next();
        if (step.done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(step.value)}\n`));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
