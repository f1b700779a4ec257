/**
 * Pre-flight checks of `messages` (roles, tool calls answered in order, reasoning replay, images),
 * incremental for an append-only history: an agent sends the same messages again on every step,
 * so checking all of them each time costs O(history) per request and O(steps^2) per run.
 *
 * What was checked is kept per `messages` array, up to its last leading message that is deeply
 * frozen (frozen.ts): such a message cannot change, so it needs no second look. A request then
 * checks only what follows. The semantics, exactly:
 * - A message that is not deeply frozen is checked on every request, as before: mutating it is
 *   always seen (and every message after it is checked again too).
 * - A frozen message cannot be mutated; replacing or removing one (`messages[3] = other`,
 *   `splice`) is noticed by an identity check of the kept prefix (one pointer comparison per
 *   message, no other work), and the array is then checked from the start. The comparison is
 *   skipped for an array its owner promised append-only (append-only.ts: the agent's history).
 * - The checks depend on the model (images) and on thinking-with-tools (reasoning replay): a
 *   request with other values checks from the start.
 * - A last assistant message with `prefix: true` is exempt from the reasoning rule only while it
 *   is last, so it is never kept as checked.
 * Errors are the same, with the same field paths, as for a check from the start.
 */
import { PreflightError } from '../../errors/errors.js';
import { checkImageCount, checkMessageImages } from '../../images/image-preflight.js';
import { isImagePart } from '../../images/images.js';
import { isDeepFrozen } from '../../wire/frozen.js';
import type { ChatMessage } from '../../wire/wire-types.js';
import { isAppendOnly } from './append-only.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const SKIP = 'Pass `preflight: false` to send it anyway.';

function fail(rule: string, field: string, message: string): never {
  throw new PreflightError(rule, field, `${message} ${SKIP}`);
}

/** A broken rule of a history: its id, the path of the field at fault, and what to do. */
export interface HistoryProblem {
  readonly rule: string;
  readonly field: string;
  readonly message: string;
}

/**
 * The rules of a history's roles and tool-call pairing, one message at a time: every role is
 * system, user, assistant or tool; a tool message answers a call of the assistant message right
 * before it (or of the tool messages after it), and every call is answered before anything else
 * follows. The one implementation of those rules: pre-flight (every request, incrementally) and
 * the agent's run input (once per run) both walk a history with it.
 */
export class CallPairing {
  /** Ids of the last assistant tool calls that still wait for their tool message. */
  open: Set<string> | undefined;
  /** Where those calls were made. */
  openAt: number;

  constructor(open?: readonly string[], openAt = -1) {
    this.open = open === undefined ? undefined : new Set(open);
    this.openAt = openAt;
  }

  /** Checks `messages[index]`; the first broken rule, if any. */
  next(message: unknown, index: number): HistoryProblem | undefined {
    const role = (message as { role?: unknown } | null)?.role;
    if (role === 'tool') {
      const id = (message as { tool_call_id?: unknown }).tool_call_id;
      if (typeof id !== 'string' || id.length === 0) {
        return {
          rule: 'tool-call-id-required',
          field: `messages[${index}].tool_call_id`,
          message: 'A tool message needs the tool_call_id it answers.',
        };
      }
      if (this.open === undefined || !this.open.delete(id)) {
        return {
          rule: 'tool-message-without-call',
          field: `messages[${index}].tool_call_id`,
          message:
            `messages[${index}] answers tool call '${id}', but no preceding assistant message has an unanswered tool call with that id. ` +
            'Tool messages must directly follow the assistant message whose tool_calls they answer.',
        };
      }
      return undefined;
    }
    const unanswered = this.end();
    if (unanswered !== undefined) return unanswered;
    this.open = undefined;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      if (role === 'developer') {
        return {
          rule: 'developer-role',
          field: `messages[${index}].role`,
          message: "DeepSeek chat completions reject role 'developer': use 'system' instead.",
        };
      }
      return {
        rule: 'unknown-role',
        field: `messages[${index}].role`,
        message: `messages[${index}].role '${String(role)}' is not one of system, user, assistant, tool.`,
      };
    }
    if (role === 'assistant') {
      const calls = (message as Extract<ChatMessage, { role: 'assistant' }>).tool_calls;
      if (calls && calls.length > 0) {
        this.open = new Set();
        this.openAt = index;
        for (const call of calls) this.open.add(call.id);
      }
    }
    return undefined;
  }

  /** After the last message (or before a non-tool one): calls never answered, if any. */
  end(): HistoryProblem | undefined {
    if (this.open === undefined || this.open.size === 0) return undefined;
    const at = this.openAt;
    return {
      rule: 'unanswered-tool-calls',
      field: `messages[${at}].tool_calls`,
      message:
        `messages[${at}] made tool calls that are never answered: ${[...this.open].join(', ')}. ` +
        'Add one { role: "tool", tool_call_id, content } message per call right after it (use an error text as content if a call failed).',
    };
  }
}

function failWith(problem: HistoryProblem | undefined): void {
  if (problem !== undefined) fail(problem.rule, problem.field, problem.message);
}

/** The state after a history's leading frozen messages. */
interface Checked {
  /** The messages covered (our own array: appended to, never exposed). */
  refs: unknown[];
  model: string;
  requireReasoning: boolean;
  images: number;
  /** Ids of the calls still unanswered after the covered messages, and where they were made. */
  open: string[] | undefined;
  openAt: number;
}

const histories = new WeakMap<readonly unknown[], Checked>();

/** How many leading messages of `messages` a kept state covers, or 0 when it does not apply. */
function reusable(
  state: Checked | undefined,
  messages: readonly unknown[],
  model: string,
  requireReasoning: boolean,
): number {
  if (state === undefined || state.model !== model || state.requireReasoning !== requireReasoning) return 0;
  const refs = state.refs;
  const kept = refs.length;
  if (kept > messages.length) return 0;
  // An array promised append-only is not compared: its owner vouches for it (append-only.ts).
  if (isAppendOnly(messages)) return kept;
  for (let i = 0; i < kept; i++) if (messages[i] !== refs[i]) return 0;
  return kept;
}

/** Checks a request's `messages`; throws PreflightError on the first problem. */
export function checkHistory(model: string, messages: ChatMessage[], requireReasoning: boolean): void {
  const isArray = Array.isArray(messages);
  let state = isArray ? histories.get(messages) : undefined;
  const start = isArray ? reusable(state, messages, model, requireReasoning) : 0;
  if (start === 0) state = undefined;
  const last = isArray ? messages.length - 1 : -1;
  // Images first (as a check from the start does), over the messages not covered yet.
  if (isArray) {
    let images = state?.images ?? 0;
    for (let i = start; i <= last; i++) images += checkMessageImages(model, messages[i]!, i);
    checkImageCount(images);
  }
  if (!isArray || messages.length === 0) {
    fail('messages-required', 'messages', 'messages must be a non-empty array.');
  }
  const pairing = new CallPairing(state?.open, state?.openAt ?? -1);
  let images = state?.images ?? 0;
  // The new state: extended while the messages stay frozen.
  const added: unknown[] = [];
  let frozen = true;
  let after: Pick<Checked, 'images' | 'open' | 'openAt'> | undefined;
  for (let i = start; i <= last; i++) {
    const message = messages[i]!;
    failWith(pairing.next(message, i));
    if ((message as { role?: unknown }).role === 'assistant') {
      const assistant = message as Extract<ChatMessage, { role: 'assistant' }>;
      const isPrefix = i === last && assistant.prefix === true;
      if (requireReasoning && !isPrefix && typeof assistant.reasoning_content !== 'string') {
        fail(
          'reasoning-content-replay',
          `messages[${i}].reasoning_content`,
          `messages[${i}] (assistant) has no reasoning_content. In thinking mode with tools, DeepSeek requires every earlier ` +
            'assistant message to carry its reasoning_content: send it back as received, or "" if you have none.',
        );
      }
      // Exempt only while last: checked again once something follows it.
      if (isPrefix) frozen = false;
    }
    if (!frozen) continue;
    if (!isDeepFrozen(message)) {
      frozen = false;
      continue;
    }
    images += imagesIn(message);
    added.push(message);
    const open = pairing.open;
    after = { images, open: open === undefined ? undefined : [...open], openAt: pairing.openAt };
  }
  failWith(pairing.end());
  // Kept only once the whole request passed (a failed check leaves the old state as it was).
  if (after !== undefined) {
    const refs = state?.refs ?? [];
    for (const message of added) refs.push(message);
    histories.set(messages, { refs, model, requireReasoning, ...after });
  }
}

/** Images in a message already checked (the count the kept state carries). */
function imagesIn(message: ChatMessage): number {
  const content = (message as { content?: unknown }).content;
  if (!Array.isArray(content)) return 0;
  let count = 0;
  for (const part of content) if (isImagePart(part)) count++;
  return count;
}
