import type { ChatMessage } from '@plumb/core';
import type { Agent } from '../agent.js';
import { AgentConfigError, RunStateError } from '../errors.js';
import type { RunOptions } from '../options/options.js';
import type { AgentResult } from '../run/result.js';
import { RunState } from '../state/run-state.js';
import type { StateSecret } from '../state/state-signing.js';
import type { UIMessageStreamOptions } from './ui-message-stream.js';

/** A web-standard request handler: Node (through an adapter), Hono, Next.js route handlers, workers. */
export type ChatHandler = (request: Request) => Promise<Response>;

/** Options of `createChatHandler()`. */
export interface ChatHandlerOptions {
  /** The agent that answers, or a function choosing one per request (e.g. by user). */
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  agent: Agent<any> | ((request: Request) => Agent<any> | Promise<Agent<any>>);
  /**
   * Signs the state of a run paused for approval (HMAC-SHA-256, 32+ bytes). The browser gets the
   * signed state and sends it back with its decisions; a state that was changed is refused.
   */
  secret: StateSecret;
  /** Run options for each request (`signal` is the request's, combined with yours). */
  runOptions?:
    | ((request: Request) => Omit<RunOptions, 'signal'> | Promise<Omit<RunOptions, 'signal'>>)
    | undefined;
  /** Largest accepted request body in bytes. @default 1_000_000 */
  maxBodyBytes?: number | undefined;
  /** The `error` chunk's text for a failed run (see `toUIMessageStream`). */
  onError?: UIMessageStreamOptions['onError'];
  /** Called when a run ends (with its result) or fails (with its error): store, log, bill. */
  onEnd?:
    | ((outcome: { result?: AgentResult<unknown>; error?: unknown }, request: Request) => void)
    | undefined;
}

/** A missing or short secret fails when the handler is made, not at the first paused run. */
function checkSecret(secret: unknown): void {
  const bytes =
    typeof secret === 'string'
      ? new TextEncoder().encode(secret).byteLength
      : secret instanceof Uint8Array
        ? secret.byteLength
        : -1;
  if (bytes < 32) {
    throw new AgentConfigError(
      'secret',
      `createChatHandler needs a secret of at least 32 bytes to sign paused runs (${bytes < 0 ? 'none was given' : `it has ${bytes}`}; ` +
        'the value is not shown). Generate one with crypto.getRandomValues(new Uint8Array(32)) and load it from your secret store.',
    );
  }
}

/** A client error, answered as `{ "error": message }` with its status. */
class BadRequest extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface UIPart {
  type?: unknown;
  text?: unknown;
  data?: unknown;
  toolCallId?: unknown;
  approval?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new BadRequest(413, `The request body is over ${maxBytes} bytes.`);
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    throw new BadRequest(413, `The request body is over ${maxBytes} bytes.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest(400, 'The request body must be JSON: { "messages": [...] } (what useChat sends).');
  }
}

function partsOf(message: unknown, index: number): UIPart[] {
  if (!isObject(message) || !Array.isArray(message.parts)) {
    throw new BadRequest(400, `messages[${index}].parts must be an array of message parts (UIMessage).`);
  }
  return message.parts.filter(isObject) as UIPart[];
}

function textOf(parts: UIPart[]): string {
  return parts
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('');
}

/**
 * The conversation as chat messages: the text of user and assistant messages. System messages
 * from the client are refused (instructions belong to the agent, not to the browser).
 */
export function uiMessagesToChat(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BadRequest(400, '`messages` must be a non-empty array of UI messages (what useChat sends).');
  }
  const chat: ChatMessage[] = [];
  messages.forEach((message, index) => {
    const parts = partsOf(message, index);
    const role = (message as { role?: unknown }).role;
    if (role === 'user') chat.push({ role: 'user', content: textOf(parts) });
    else if (role === 'assistant') {
      const text = textOf(parts);
      if (text !== '') chat.push({ role: 'assistant', content: text });
    } else {
      throw new BadRequest(
        400,
        `messages[${index}].role must be "user" or "assistant" (got ${JSON.stringify(role)}); set instructions on the agent.`,
      );
    }
  });
  if (chat.at(-1)?.role !== 'user') {
    throw new BadRequest(
      400,
      "The last message must be the user's (or an assistant message carrying approvals).",
    );
  }
  return chat;
}

/** The signed state and the approval decisions of an assistant message, when it carries them. */
function approvalsOf(message: unknown, index: number) {
  const parts = partsOf(message, index);
  const statePart = parts.findLast((part) => part.type === 'data-plumb-state');
  if (statePart === undefined) return undefined;
  const state = isObject(statePart.data) ? statePart.data.state : undefined;
  if (typeof state !== 'string') {
    throw new BadRequest(400, `messages[${index}]: the data-plumb-state part has no \`data.state\` text.`);
  }
  const decisions = new Map<string, { approved: boolean; reason: string | undefined }>();
  for (const part of parts) {
    if (typeof part.toolCallId !== 'string' || !isObject(part.approval)) continue;
    const { approved, reason } = part.approval;
    if (typeof approved !== 'boolean') continue;
    decisions.set(part.toolCallId, { approved, reason: typeof reason === 'string' ? reason : undefined });
  }
  const id = (message as { id?: unknown }).id;
  return { state, decisions, messageId: typeof id === 'string' ? id : undefined };
}

/**
 * A web-standard handler that runs an agent for a chat front-end (the AI SDK's `useChat` with its
 * default transport) and answers in the UI message stream protocol.
 *
 * - POST `{ messages }`: the text of the conversation is the run's input.
 * - A run that pauses for approval sends its state signed with `secret` (a `data-plumb-state`
 *   part). When the browser answers (`addToolApprovalResponse`) and sends the messages again, the
 *   handler checks the signature, takes the pending calls and their arguments from the signed
 *   state only (never from the browser), applies the browser's approve/reject for exactly those
 *   calls, and resumes. A state resumes once per process.
 * - The run is aborted when the client disconnects (the request's signal, or the response body
 *   cancelled).
 */
export function createChatHandler(options: ChatHandlerOptions): ChatHandler {
  checkSecret(options.secret);
  const maxBytes = options.maxBodyBytes ?? 1_000_000;
  return async (request) => {
    try {
      if (request.method !== 'POST') throw new BadRequest(405, 'Use POST with { messages }.');
      const body = await readBody(request, maxBytes);
      if (!isObject(body))
        throw new BadRequest(400, 'The request body must be a JSON object: { "messages": [...] }.');
      const messages = body.messages;
      if (!Array.isArray(messages) || messages.length === 0) {
        throw new BadRequest(
          400,
          '`messages` must be a non-empty array of UI messages (what useChat sends).',
        );
      }
      const last = messages.length - 1;
      const lastMessage = messages[last] as unknown;
      const pending =
        isObject(lastMessage) && lastMessage.role === 'assistant'
          ? approvalsOf(lastMessage, last)
          : undefined;
      const agent = typeof options.agent === 'function' ? await options.agent(request) : options.agent;
      const runOptions = { ...(await options.runOptions?.(request)), signal: request.signal };
      let input: ChatMessage[] | RunState;
      let messageId: string | undefined;
      if (pending !== undefined) {
        let state: RunState;
        try {
          state = await RunState.fromSignedJSON(pending.state, { secret: options.secret });
        } catch (error) {
          throw new BadRequest(400, `The paused run's state was refused: ${(error as Error).message}`);
        }
        for (const call of state.interruptions) {
          const decision = pending.decisions.get(call.id);
          if (decision === undefined) {
            throw new BadRequest(400, `No approval answer for tool call ${call.id} (${call.name}).`);
          }
          try {
            if (decision.approved) state.approve(call.id);
            else state.reject(call.id, { reason: decision.reason });
          } catch (error) {
            // A state already resumed (a replayed request): its calls ran or were answered once.
            if (error instanceof RunStateError) throw new BadRequest(409, error.message);
            throw error;
          }
        }
        input = state;
        messageId = pending.messageId;
      } else {
        input = uiMessagesToChat(messages);
      }
      let stream: ReturnType<typeof agent.stream>;
      try {
        stream = agent.stream(input, runOptions);
      } catch (error) {
        if (error instanceof RunStateError) throw new BadRequest(409, error.message);
        throw error;
      }
      if (options.onEnd !== undefined) {
        const onEnd = options.onEnd;
        stream.result.then(
          (result) => onEnd({ result }, request),
          (error: unknown) => onEnd({ error }, request),
        );
      }
      return stream.toUIMessageStreamResponse({
        messageId,
        secret: options.secret,
        onError: options.onError,
      });
    } catch (error) {
      if (error instanceof BadRequest) {
        return Response.json({ error: error.message }, { status: error.status });
      }
      throw error;
    }
  };
}
