import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { handleAnthropicMessages } from './anthropic/anthropic-route.js';
import { redactAuthorization, redactKey } from './cassette/cassette.js';
import { CASSETTE } from './cassette/cassette-player.js';
import { handleChat } from './chat/chat-route.js';
import { handleFim } from './fim/fim-route.js';
import { Exchange } from './http/exchange.js';
import { takeGlobalFault } from './http/faults.js';
import { readBodyBytes } from './http/read-body.js';
import { resolveRoute } from './http/routes.js';
import { isTerminalFault, sendFault } from './http/send-reply.js';
import { handleResponses } from './responses/responses-route.js';
import { handleBalance, handleModel, handleModels } from './routes/account-routes.js';
import { handleFile, handleFileCreate, handleFileList } from './routes/files-routes.js';
import { handleFetch, handleSearch } from './routes/tools-routes.js';
import { type EmulatorState, recordFailure } from './state.js';
import type { RecordedRequest } from './types.js';
import { EmulatorHttpError, errorForStatus, texts } from './wire/errors.js';
import { findJsonSyntaxProblem, hasSurrogateEscape } from './wire/json-scan.js';

const DEFAULT_MAX_BODY_BYTES = 48 * 1024 * 1024;
const UPLOAD_BODY_BYTES = 65 * 1024 * 1024;

/** The emulator's request handler. */
export function createRequestHandler(state: EmulatorState) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void handle(state, request, response);
  };
}

async function handle(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const traceId = state.ids.hex(32);
  response.on('error', () => undefined);
  let raw: string | undefined;
  let bytes: Buffer | undefined;
  try {
    bytes = await readBodyBytes(request, bodyLimit(state, request));
    raw = bytes?.toString('utf8');
  } catch {
    response.destroy();
    return;
  }
  const record: RecordedRequest = {
    index: state.received++,
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: redactHeaders(request.headers),
    rawBody: raw ?? '',
    body: parseJson(raw),
  };
  logRequest(state, record);
  const exchange = new Exchange(state, request, response, record, traceId);
  exchange.bytes = bytes;
  try {
    if (raw === undefined) throw errorForStatus(413, { current: 0, limit: 0 });
    await route(exchange);
  } catch (error) {
    if (response.headersSent) {
      response.end();
      return;
    }
    if (error instanceof EmulatorHttpError) exchange.error(error);
    else {
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const failure = recordFailure(
        state,
        `plumb emulator: internal error answering request #${record.index}: ${reason}`,
      );
      exchange.error(new EmulatorHttpError(500, failure.message, 'emulator_internal_error'));
    }
  }
}

async function route(exchange: Exchange): Promise<void> {
  const { state, record } = exchange;
  const route = resolveRoute(record.method, record.path);
  if (route.kind === 'not-found') throw new EmulatorHttpError(404, texts.notFound);
  if (route.kind === 'fim-outside-beta') throw new EmulatorHttpError(404, texts.fimOnlyBeta);
  if (route.kind === 'method-not-allowed') throw new EmulatorHttpError(405, texts.methodNotAllowed);
  exchange.anthropic = route.kind === 'anthropic-messages';
  authenticate(exchange, exchange.anthropic);
  if (
    route.kind === 'chat' ||
    route.kind === 'fim' ||
    route.kind === 'responses' ||
    route.kind === 'anthropic-messages'
  ) {
    admit(exchange);
  }
  const fault = takeGlobalFault(state, record);
  if (isTerminalFault(fault)) return sendFault(exchange, fault, record.body?.stream === true);
  const cassette = CASSETTE.of(state);
  if (cassette) return cassette.replay(exchange);
  switch (route.kind) {
    case 'chat':
    case 'fim':
      checkJson(exchange);
      if (route.kind === 'fim') return handleFim(exchange, fault);
      return handleChat(exchange, route.beta, fault);
    case 'models':
      return handleModels(exchange);
    case 'model':
      return handleModel(exchange, route.id);
    case 'balance':
      return handleBalance(exchange);
    case 'search':
      checkJson(exchange);
      return handleSearch(exchange);
    case 'fetch':
      checkJson(exchange);
      return handleFetch(exchange);
    case 'files-create':
      return handleFileCreate(exchange);
    case 'files-list':
      return handleFileList(exchange);
    case 'file':
      return handleFile(exchange, route.id, route.method);
    case 'responses':
      checkJson(exchange);
      return handleResponses(exchange, fault);
    case 'anthropic-messages':
      checkJson(exchange);
      return handleAnthropicMessages(exchange, fault);
  }
}

/**
 * Chat and FIM admission: 402 when the balance is exhausted, 429 over the concurrency limit. The
 * request counts as in flight until its response closes, whatever answers it (faults included).
 */
function admit(exchange: Exchange): void {
  const { state } = exchange;
  if (state.options.balance?.isAvailable === false) {
    throw new EmulatorHttpError(402, texts.insufficientBalance, 'unknown_error');
  }
  state.inFlight++;
  exchange.response.once('close', () => state.inFlight--);
  const limit = state.options.concurrencyLimit;
  if (limit !== undefined && state.inFlight > limit) {
    throw new EmulatorHttpError(429, texts.concurrency(state.inFlight, limit), 'rate_limit_error');
  }
}

/**
 * DeepSeek's two 401 texts: a malformed header, or an unknown key. The Anthropic-format endpoint
 * also takes `x-api-key`; when both are sent, `Authorization` wins (API reference §1.2).
 */
function authenticate(exchange: Exchange, anthropic = false): void {
  const header = exchange.request.headers.authorization;
  const apiKey = exchange.request.headers['x-api-key'];
  if (anthropic && header === undefined && typeof apiKey === 'string') {
    if (apiKey.trim() !== exchange.state.apiKey) {
      throw new EmulatorHttpError(401, texts.invalidKey(apiKey.trim()), 'authentication_error');
    }
    return;
  }
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new EmulatorHttpError(401, texts.authHeaderFormat, 'authentication_error');
  if (match[1] !== exchange.state.apiKey) {
    throw new EmulatorHttpError(401, texts.invalidKey(match[1]!), 'authentication_error');
  }
}

/** serde-style 400 for a body that is not JSON (or holds a lone surrogate escape). */
function checkJson(exchange: Exchange): void {
  const { record } = exchange;
  if (record.body !== undefined && !hasSurrogateEscape(record.rawBody)) return;
  const problem = findJsonSyntaxProblem(record.rawBody);
  if (!problem) return;
  const where = problem.path === '' ? '' : `${problem.path}: `;
  throw new EmulatorHttpError(
    400,
    `Failed to parse the request body as JSON: ${where}${problem.message} at line ${problem.line} column ${problem.column}`,
  );
}

/**
 * The body limit: 48 MiB (openresty's 413 above it), except for uploads to `/files`, which take a
 * 64 MiB file plus the multipart framing (the route itself answers the 64 MiB limit's 400).
 */
function bodyLimit(state: EmulatorState, request: IncomingMessage): number {
  const limit = state.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const upload = request.method === 'POST' && /^(?:\/v1)?\/files\/?(?:\?|$)/.test(request.url ?? '');
  return upload ? Math.max(limit, UPLOAD_BODY_BYTES) : limit;
}

/** Appends to `emulator.requests`, dropping the oldest beyond `maxLoggedRequests`. */
function logRequest(state: EmulatorState, record: RecordedRequest): void {
  const limit = state.options.maxLoggedRequests;
  if (limit === 0) return;
  state.requests.push(record);
  if (limit !== undefined && state.requests.length > limit) state.requests.shift();
}

function parseJson(raw: string | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') out[name] = redactAuthorization(text);
    else if (name === 'x-api-key') out[name] = redactKey(text);
    else out[name] = text;
  }
  return out;
}
