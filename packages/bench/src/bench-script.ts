import type { RecordedRequest, Turn } from '@plumb/testing';

/**
 * The emulator script every framework runs against. It is stateless: what to answer is read from
 * the request itself, so runs may overlap (the many-agents scenario) and every framework gets the
 * same turns. The first user message names the task, e.g. `bench loop steps=100 calls=1 tool=step`.
 */

/** What the first user message asks the emulated model to do. */
export interface LoopSpec {
  /** Tool turns before the final answer. */
  steps: number;
  /** Tool calls per turn. */
  calls: number;
  /** `step` (instant) or `wait` (sleeps `ms`). */
  tool: 'step' | 'wait';
  /** Sleep of the `wait` tool. */
  ms: number;
}

/** The user prompt that makes the script run `spec`. */
export function loopPrompt(spec: LoopSpec): string {
  return `bench loop steps=${spec.steps} calls=${spec.calls} tool=${spec.tool} ms=${spec.ms}`;
}

/** The final answer of a loop, so a runner can check that every step happened. */
export function loopAnswer(spec: LoopSpec): string {
  return `done after ${spec.steps} steps`;
}

/** The user prompt of the stream scenario (served pre-rendered, see bench-server.ts). */
export const STREAM_PROMPT = 'bench stream';

const FIELD = /(\w+)=(\w+)/g;

/** Parses a `loopPrompt`; undefined for anything else. */
export function parseLoopPrompt(text: string): LoopSpec | undefined {
  if (!text.startsWith('bench loop ')) return undefined;
  const fields: Record<string, string> = {};
  for (const match of text.matchAll(FIELD)) fields[match[1]!] = match[2]!;
  const steps = Number(fields.steps);
  const calls = Number(fields.calls);
  const ms = Number(fields.ms ?? 0);
  const tool = fields.tool;
  if (!Number.isInteger(steps) || !Number.isInteger(calls) || (tool !== 'step' && tool !== 'wait')) {
    return undefined;
  }
  return { steps, calls, tool, ms };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}

interface WireMessage {
  role?: unknown;
  content?: unknown;
}

/**
 * Answers one chat request: tool calls until `spec.steps` assistant turns are in the history,
 * then the final answer. Throws (the emulator answers 400 `emulator_script_error`) when the
 * history does not hold one tool result per call made so far, so a framework that skips work
 * fails loudly instead of looking fast.
 */
export function benchScript(request: RecordedRequest): Turn {
  const messages: WireMessage[] = Array.isArray(request.body?.messages) ? request.body.messages : [];
  const first = messages.find((message) => message.role === 'user');
  const spec = parseLoopPrompt(textOf(first?.content));
  if (spec === undefined) return { content: 'bench: unknown prompt' };
  let turns = 0;
  let results = 0;
  for (const message of messages) {
    if (message.role === 'assistant') turns++;
    else if (message.role === 'tool') results++;
  }
  if (results !== turns * spec.calls) {
    throw new Error(`expected ${turns * spec.calls} tool results after ${turns} turns, got ${results}`);
  }
  if (turns >= spec.steps) return { content: loopAnswer(spec) };
  const toolCalls = [];
  for (let index = 0; index < spec.calls; index++) {
    toolCalls.push({
      name: spec.tool,
      arguments: spec.tool === 'wait' ? { ms: spec.ms } : { n: turns * spec.calls + index },
    });
  }
  return { toolCalls };
}
