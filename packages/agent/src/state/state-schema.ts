import { z } from 'zod';
import { AgentConfigError, RunStateError } from '../errors.js';
import { initialHistory } from '../step/messages.js';
import type { RunStateJSON } from './run-state.js';

// The shape of a RunState's JSON, field by field. Every field the loop reads is checked here, so
// a malformed state fails in `fromJSON` with its path, never with a raw TypeError mid-run.
// Unknown extra keys are tolerated where the wire tolerates them (messages, usage).

const count = z.number().int().min(0);
const text = z.string();

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const contentParts = z.array(z.object({ type: z.string() }).passthrough());

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: text, name: z.string().optional() }).passthrough(),
  z
    .object({ role: z.literal('user'), content: z.union([text, contentParts]), name: z.string().optional() })
    .passthrough(),
  z
    .object({
      role: z.literal('assistant'),
      content: text.nullable(),
      reasoning_content: text.nullable().optional(),
      tool_calls: z.array(toolCall).optional(),
      name: z.string().optional(),
      prefix: z.boolean().optional(),
    })
    .passthrough(),
  z
    .object({
      role: z.literal('tool'),
      tool_call_id: z.string().min(1),
      content: z.union([text, contentParts]),
    })
    .passthrough(),
]);

const usage = z
  .object({
    prompt_tokens: count,
    completion_tokens: count,
    total_tokens: count,
    prompt_cache_hit_tokens: count,
    prompt_cache_miss_tokens: count,
    completion_tokens_details: z.object({ reasoning_tokens: count }).passthrough().optional(),
  })
  .passthrough();

const cost = z
  .object({
    currency: z.enum(['USD', 'CNY']),
    inputCacheHit: z.number().min(0),
    inputCacheMiss: z.number().min(0),
    output: z.number().min(0),
    total: z.number().min(0),
    peak: z.boolean(),
    pricedAs: z.string(),
  })
  .passthrough();

const record = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    args: z.unknown().optional(),
    rawArguments: z.string(),
    result: z.unknown().optional(),
    error: z.string().optional(),
    status: z.enum(['ok', 'error', 'rejected', 'cancelled', 'pending']),
    content: text,
    parts: contentParts.optional(),
    usage: usage.optional(),
    cost: cost.optional(),
    abandoned: z.boolean().optional(),
  })
  .passthrough(); // timings and ids other features add are kept, unread by the loop

const step = z
  .object({
    index: count,
    text,
    reasoning: text,
    toolCalls: z.array(record),
    usage,
    cost: cost.nullable().optional(),
    cacheHitRatio: z.number().min(0).max(1),
    finishReason: z.string(),
    outputError: z.string().optional(),
  })
  .passthrough();

const decision = z.union([
  z.object({ approved: z.literal(true) }).strict(),
  z.object({ approved: z.literal(false), reason: z.string().optional() }).strict(),
]);

const state = z
  .object({
    version: z.literal(2),
    id: z.string().min(1).max(200),
    runId: z.string().min(1).max(200),
    messages: z.array(message).min(1),
    steps: z.array(step).min(1),
    turn: z.object({
      role: z.literal('assistant'),
      content: text.nullable(),
      reasoning_content: text.nullable().optional(),
      tool_calls: z.array(toolCall).min(1),
    }),
    decisions: z.record(z.string(), decision).optional(),
    usage,
    cost: cost.nullable(),
    consecutiveToolErrors: count,
    outputRetries: count,
    toolPins: z.record(z.string(), z.string()).optional(),
    // Telemetry and recorder links to the paused run (agent/src/telemetry): ids only, checked.
    trace: z
      .object({
        traceparent: z
          .string()
          .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
          .optional(),
        runId: z.string().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** `steps[0].toolCalls[1].id` from a zod issue path. */
function pathOf(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function fail(where: string, field: string, problem: string): never {
  throw new RunStateError(
    `${where}: \`${field}\` ${problem}. Pass the text written by JSON.stringify(result.state) (or state.toSignedJSON()), unmodified.`,
  );
}

/**
 * Checks parsed state JSON and returns it typed. Beyond each field's shape it checks what makes
 * the state safe to resume: the paused turn's calls are exactly the last step's records (same
 * ids, names and argument bytes, ids unique), some call is pending, the history before the turn
 * is valid, and decisions (signed states only) name pending calls.
 * @throws RunStateError naming the path of the first malformed field.
 */
export function checkStateData(data: unknown, where: string, signed: boolean): RunStateJSON {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    fail(where, '(root)', 'must be an object');
  const version = (data as { version?: unknown }).version;
  if (version === 1) {
    fail(
      where,
      'version',
      'is 1: the state was written by an older @plumb/agent; resume it with that version',
    );
  }
  if (version !== 2)
    fail(
      where,
      'version',
      `must be 2 (a state written by this version of @plumb/agent), got ${JSON.stringify(version) ?? 'nothing'}`,
    );
  if (!signed && 'decisions' in data) {
    fail(
      where,
      'decisions',
      'is not read from unsigned JSON: decisions come only from state.approve() / state.reject() after loading (or from a state signed with toSignedJSON)',
    );
  }
  const parsed = state.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(where, pathOf(issue?.path ?? []), `is invalid: ${issue?.message ?? 'malformed'}`);
  }
  const value = parsed.data as unknown as RunStateJSON;
  value.steps.forEach((each, index) => {
    if (each.index !== index) fail(where, `steps[${index}].index`, `must be ${index}`);
  });
  const last = value.steps.length - 1;
  const records = value.steps[last]?.toolCalls ?? [];
  const calls = value.turn.tool_calls ?? [];
  if (records.length !== calls.length) {
    fail(
      where,
      'turn.tool_calls',
      `has ${calls.length} call(s) but steps[${last}].toolCalls has ${records.length}`,
    );
  }
  const ids = new Set<string>();
  calls.forEach((call, index) => {
    const record = records[index];
    const at = `turn.tool_calls[${index}]`;
    if (ids.has(call.id)) fail(where, `${at}.id`, `repeats id ${JSON.stringify(call.id)}`);
    ids.add(call.id);
    if (record === undefined || record.id !== call.id)
      fail(where, `${at}.id`, `does not match steps[${last}].toolCalls[${index}].id`);
    if (record.name !== call.function.name) {
      fail(where, `${at}.function.name`, `does not match steps[${last}].toolCalls[${index}].name`);
    }
    if (record.rawArguments !== call.function.arguments) {
      fail(
        where,
        `${at}.function.arguments`,
        `does not match steps[${last}].toolCalls[${index}].rawArguments`,
      );
    }
  });
  if (!records.some((each) => each.status === 'pending')) {
    fail(where, `steps[${last}].toolCalls`, 'has no pending call: there is nothing to resume');
  }
  for (const id of Object.keys(value.decisions ?? {})) {
    const target = records.find((each) => each.id === id);
    if (target?.status !== 'pending') fail(where, `decisions.${id}`, 'names no pending call');
  }
  try {
    initialHistory(value.messages, undefined);
  } catch (error) {
    if (error instanceof AgentConfigError)
      fail(where, 'messages', `is not a valid history (${error.message})`);
    throw error;
  }
  return value;
}
