import type { Fault } from '../types.js';
import { EmulatorHttpError, errorEnvelope, errorForStatus } from '../wire/errors.js';
import type { Exchange } from './exchange.js';

/**
 * Writing answers onto the wire, with faults applied. Stream events are batched into writes of
 * about 64 KiB (respecting back-pressure); a timer runs only when a fault asks for delays.
 */

const BATCH_CHARS = 64 * 1024;
const MALFORMED_EVENT =
  'data: {"id":"malformed","object":"chat.completion.chunk","choices":[{"delta":{"content":"cut\n\n';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

/** A fault that replaces the answer (an error status, a raw body, a drop or a hang). */
export function isTerminalFault(fault: Fault | undefined): fault is Fault {
  return (
    fault !== undefined &&
    (fault.status !== undefined ||
      fault.rawBody !== undefined ||
      fault.dropConnection === true ||
      fault.hang === true)
  );
}

/** The error a fault describes: DeepSeek's text/type for its status unless overridden. */
function faultError(exchange: Exchange, fault: Fault): EmulatorHttpError {
  const state = exchange.state;
  const limit = state.options.concurrencyLimit ?? 25;
  const base = errorForStatus(fault.status ?? 200, { current: Math.max(state.inFlight, limit + 1), limit });
  const rawBody = fault.rawBody ?? base.rawBody;
  const contentType = fault.contentType ?? base.contentType;
  return new EmulatorHttpError(base.status, fault.message ?? base.message, fault.type ?? base.type, {
    headers: { ...base.headers, ...fault.headers },
    ...(rawBody === undefined ? {} : { rawBody }),
    ...(contentType === undefined ? {} : { contentType }),
  });
}

/** Answers with a terminal fault. With `keepAlive`, status 200 and padding come first. */
export async function sendFault(exchange: Exchange, fault: Fault, stream: boolean): Promise<void> {
  const error =
    fault.status !== undefined || fault.rawBody !== undefined ? faultError(exchange, fault) : undefined;
  if (fault.keepAlive) {
    exchange.head(200, {
      ...(stream ? SSE_HEADERS : { 'content-type': 'application/json' }),
      ...fault.headers,
    });
    await pad(exchange, fault, stream);
    if (exchange.signal.aborted) return;
    if (fault.dropConnection) return exchange.drop();
    if (fault.hang) return;
    if (error) {
      const body =
        fault.rawBody ??
        (stream
          ? `data: ${errorEnvelope(error.message, error.type)}\n\n`
          : errorEnvelope(error.message, error.type));
      await exchange.write(body);
    }
    exchange.response.end();
    return;
  }
  if (fault.dropConnection) return exchange.drop();
  if (fault.hang) {
    exchange.head(200, {
      ...(stream ? SSE_HEADERS : { 'content-type': 'application/json' }),
      ...fault.headers,
    });
    exchange.response.flushHeaders();
    return;
  }
  if (error) {
    if (fault.status === undefined) {
      exchange.head(200, { 'content-type': error.contentType ?? 'application/json', ...error.headers });
      exchange.response.end(error.rawBody);
    } else exchange.error(error);
  }
}

/**
 * A `text/event-stream` answer: `events` are complete `data: …\n\n` strings (any iterable, so
 * huge answers are generated as they are written); `[DONE]` is added unless `done` is false. Stream faults count the
 * events sent so far.
 */
export async function sendEvents(
  exchange: Exchange,
  events: Iterable<string>,
  fault: Fault | undefined,
  headers: Record<string, string> = {},
  done = true,
): Promise<void> {
  exchange.head(200, { ...SSE_HEADERS, ...headers, ...fault?.headers });
  if (fault?.keepAlive) await pad(exchange, fault, true);
  const delay = fault?.chunkDelayMs ?? 0;
  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    await exchange.write(chunk);
  };
  /** Applies the faults due before event `index`; true when the reply is over. */
  const interrupt = async (index: number): Promise<boolean> => {
    if (!fault) return false;
    if (fault.cutAfterChunks === index) {
      await flush();
      cut(exchange, fault);
      return true;
    }
    if (fault.hangAfterChunks === index) {
      await flush();
      return true;
    }
    if (fault.malformedChunkAt === index) buffer += MALFORMED_EVENT;
    if (fault.errorInStreamAt === index) {
      const error = faultError(exchange, { ...fault, status: fault.status ?? 500 });
      buffer += `data: ${errorEnvelope(error.message, error.type)}\n\n`;
      await flush();
      exchange.response.end();
      return true;
    }
    return false;
  };
  let index = 0;
  for (const event of events) {
    if (exchange.signal.aborted || (fault && (await interrupt(index)))) return;
    if (delay > 0 && index > 0) {
      await flush();
      await exchange.sleep(delay);
    }
    buffer += event;
    index++;
    if (buffer.length >= BATCH_CHARS) await flush();
  }
  if (exchange.signal.aborted || (fault && (await interrupt(index)))) return;
  // The Responses and Anthropic formats end with their own final event, never `[DONE]`.
  if (done) buffer += 'data: [DONE]\n\n';
  await flush();
  exchange.response.end();
}

/** Whether a fault changes a stream event by event (so a pre-rendered body cannot be used). */
export function shapesStream(fault: Fault | undefined): boolean {
  return (
    fault !== undefined &&
    ((fault.chunkDelayMs ?? 0) > 0 ||
      fault.cutAfterChunks !== undefined ||
      fault.hangAfterChunks !== undefined ||
      fault.malformedChunkAt !== undefined ||
      fault.errorInStreamAt !== undefined)
  );
}

/**
 * A pre-rendered stream: `body` buffers as they are (no per-event work), then `final` (the event
 * carrying usage) and `[DONE]`. Only `keepAlive` and `headers` of `fault` apply here.
 */
export async function sendPrerendered(
  exchange: Exchange,
  body: readonly Uint8Array[],
  final: string,
  fault: Fault | undefined,
): Promise<void> {
  exchange.head(200, { ...SSE_HEADERS, ...fault?.headers });
  if (fault?.keepAlive) await pad(exchange, fault, true);
  for (const chunk of body) {
    if (exchange.signal.aborted) return;
    await exchange.write(chunk);
  }
  if (exchange.signal.aborted) return;
  exchange.response.end(`${final}data: [DONE]\n\n`);
}

/**
 * A JSON answer. Faults: keep-alive blank lines first; `chunkDelayMs` before the body;
 * `cutAfterChunks` / `hangAfterChunks` send the first half of the body and then cut / stall.
 */
export async function sendBody(
  exchange: Exchange,
  body: string,
  fault: Fault | undefined,
  headers: Record<string, string> = {},
): Promise<void> {
  const partial = fault?.cutAfterChunks !== undefined || fault?.hangAfterChunks !== undefined;
  if (!fault || (!fault.keepAlive && !partial && !fault.chunkDelayMs)) {
    exchange.json(200, body, { ...headers, ...fault?.headers });
    return;
  }
  exchange.head(200, { 'content-type': 'application/json', ...headers, ...fault.headers });
  if (fault.keepAlive) await pad(exchange, fault, false);
  if (fault.chunkDelayMs) {
    exchange.response.flushHeaders();
    await exchange.sleep(fault.chunkDelayMs);
  }
  if (exchange.signal.aborted) return;
  if (partial) {
    await exchange.write(body.slice(0, Math.floor(body.length / 2)));
    if (fault.cutAfterChunks !== undefined) cut(exchange, fault);
    return;
  }
  await exchange.write(body);
  exchange.response.end();
}

/** Ends the body cleanly, or (abrupt) closes the socket after the bytes sent so far. */
function cut(exchange: Exchange, fault: Fault): void {
  if (fault.cutAbruptly) exchange.response.socket?.end();
  else exchange.response.end();
}

/** Keep-alive padding: `: keep-alive` comments (stream) or blank lines, every `intervalMs`. */
async function pad(exchange: Exchange, fault: Fault, stream: boolean): Promise<void> {
  const keepAlive = fault.keepAlive!;
  const interval = Math.max(1, keepAlive.intervalMs ?? 50);
  const line = stream ? ': keep-alive\n\n' : '\n';
  for (let elapsed = 0; elapsed < keepAlive.ms && !exchange.signal.aborted; elapsed += interval) {
    await exchange.write(line);
    await exchange.sleep(Math.min(interval, keepAlive.ms - elapsed));
  }
}
