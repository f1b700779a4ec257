/**
 * DeepSeek V4 sometimes writes its DSML tool-call markup into the answer text instead of
 * `tool_calls` (reported against hermes-agent, cline, OpenHands, sglang, vLLM):
 *
 *   <｜DSML｜function_calls>            (also `tool_calls`)
 *   <｜DSML｜invoke name="get_weather">
 *   <｜DSML｜parameter name="city" string="true">Paris</｜DSML｜parameter>
 *   </｜DSML｜invoke>
 *   </｜DSML｜function_calls>
 *
 * with the bars written as `｜` (U+FF5C), `|`, `‖` or doubled, and broken variants such as
 * `<｜DSML｜toolcall>Read ```json {...}```. A block that parses completely into calls of known
 * tools with valid arguments is recovered as real calls; anything else gets a correction sent
 * back to the model.
 *
 * Safety: only the assistant's own `content` of this step is read, and nothing is recovered when
 * any user message or tool result in the request held DSML markup: a model that echoes injected
 * markup from a page or a file can never turn it into a call. It is then told to call tools
 * properly instead, and every recovered call still goes through approvals and argument checks.
 */
import type { ChatMessage, ToolCall } from '@plumb/core';
import type { ModelTurn } from '../model/types.js';
import type { RunContext } from '../run/run-context.js';
import { assistantMessage } from './messages.js';

/** An opening or closing DSML tag: `<｜DSML｜name ...>` / `</｜DSML｜name>`, any bar style. */
const BAR = '(?:[|｜‖]{1,2})';
const MARKER = new RegExp(`<\\s*/?\\s*${BAR}\\s*DSML\\s*${BAR}`, 'i');
const TAG = new RegExp(
  `<\\s*(/?)\\s*${BAR}\\s*DSML\\s*${BAR}\\s*([a-z_]+)((?:\\s+[a-z_]+\\s*=\\s*"[^"]*")*)\\s*>`,
  'gi',
);
const ATTRIBUTE = /([a-z_]+)\s*=\s*"([^"]*)"/gi;

/** Whether text holds DSML markup. */
function hasDsml(text: string): boolean {
  return MARKER.test(text);
}

interface LeakedCall {
  name: string;
  args: Record<string, unknown>;
}

export type LeakScan =
  | { kind: 'none' }
  /** The markup parsed completely: `calls`, and the text around the block. */
  | { kind: 'calls'; calls: LeakedCall[]; text: string }
  /** Markup that cannot be recovered, with the reason (for the correction). */
  | { kind: 'broken'; reason: string };

interface Tag {
  closing: boolean;
  name: string;
  attributes: Record<string, string>;
  start: number;
  end: number;
}

function tagsOf(text: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of text.matchAll(TAG)) {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[3] ?? '').matchAll(ATTRIBUTE))
      attributes[attribute[1]!.toLowerCase()] = attribute[2]!;
    tags.push({
      closing: match[1] === '/',
      name: match[2]!.toLowerCase(),
      attributes,
      start: match.index!,
      end: match.index! + match[0].length,
    });
  }
  return tags;
}

const BLOCKS = new Set(['function_calls', 'tool_calls']);

/** Parses DSML markup out of an assistant's text. */
export function scanLeakedCalls(text: string): LeakScan {
  if (!hasDsml(text)) return { kind: 'none' };
  const tags = tagsOf(text);
  const open = tags.findIndex((tag) => !tag.closing && BLOCKS.has(tag.name));
  if (open === -1) return { kind: 'broken', reason: 'tool-call markup without a function_calls block' };
  const close = tags.findIndex((tag, index) => index > open && tag.closing && tag.name === tags[open]!.name);
  if (close === -1) return { kind: 'broken', reason: 'an unclosed function_calls block' };
  if (tags.slice(close + 1).length > 0 || tags.slice(0, open).length > 0) {
    return { kind: 'broken', reason: 'markup outside one function_calls block' };
  }
  const calls: LeakedCall[] = [];
  let cursor = tags[open]!.end;
  let index = open + 1;
  const gap = (from: number, to: number) => text.slice(from, to).trim() === '';
  while (index < close) {
    const invoke = tags[index]!;
    if (invoke.closing || invoke.name !== 'invoke' || !invoke.attributes.name || !gap(cursor, invoke.start)) {
      return { kind: 'broken', reason: 'unexpected text or tags where an invoke was expected' };
    }
    const args: Record<string, unknown> = {};
    index++;
    cursor = invoke.end;
    while (index < close && tags[index]!.name === 'parameter' && !tags[index]!.closing) {
      const parameter = tags[index]!;
      const end = tags[index + 1];
      const key = parameter.attributes.name;
      if (
        !key ||
        !gap(cursor, parameter.start) ||
        end === undefined ||
        !end.closing ||
        end.name !== 'parameter'
      ) {
        return { kind: 'broken', reason: 'a malformed parameter' };
      }
      const raw = text.slice(parameter.end, end.start);
      if (Object.hasOwn(args, key)) return { kind: 'broken', reason: `parameter ${key} given twice` };
      if (parameter.attributes.string === 'false') {
        try {
          args[key] = JSON.parse(raw);
        } catch {
          return { kind: 'broken', reason: `parameter ${key} is not valid JSON` };
        }
      } else args[key] = raw;
      cursor = end.end;
      index += 2;
    }
    const closeInvoke = tags[index];
    if (
      closeInvoke === undefined ||
      index >= close ||
      !closeInvoke.closing ||
      closeInvoke.name !== 'invoke' ||
      !gap(cursor, closeInvoke.start)
    ) {
      return { kind: 'broken', reason: 'an unclosed or malformed invoke' };
    }
    calls.push({ name: invoke.attributes.name, args });
    cursor = closeInvoke.end;
    index++;
  }
  if (!gap(cursor, tags[close]!.start))
    return { kind: 'broken', reason: 'text inside the function_calls block' };
  if (calls.length === 0) return { kind: 'broken', reason: 'an empty function_calls block' };
  const outside = `${text.slice(0, tags[open]!.start)}${text.slice(tags[close]!.end)}`.trim();
  return { kind: 'calls', calls, text: outside };
}

/** Whether any user message or tool result of the request carried DSML markup. */
function inputHasDsml(messages: readonly ChatMessage[]): boolean {
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'tool' && message.role !== 'system') continue;
    const content = message.content;
    if (typeof content === 'string' ? hasDsml(content) : JSON.stringify(content).includes('DSML'))
      return true;
  }
  return false;
}

type LeakDecision =
  | { kind: 'none' }
  | { kind: 'recovered'; toolCalls: ToolCall[]; text: string; calls: LeakedCall[] }
  | { kind: 'correct'; reason: string };

/**
 * What to do with one assistant turn's text: recover its calls (all known tools, arguments valid
 * per `validate`), or correct the model. `validate` returns undefined when the arguments are
 * valid, else the problem.
 */
async function decideLeak(
  text: string,
  messages: readonly ChatMessage[],
  knows: (name: string) => boolean,
  validate: (name: string, args: Record<string, unknown>) => Promise<string | undefined>,
  makeId: (position: number) => string,
): Promise<LeakDecision> {
  const scan = scanLeakedCalls(text);
  if (scan.kind === 'none') return { kind: 'none' };
  if (scan.kind === 'broken') return { kind: 'correct', reason: scan.reason };
  if (inputHasDsml(messages)) {
    return {
      kind: 'correct',
      reason:
        'the conversation input itself contained tool-call markup, so markup in the reply is not trusted',
    };
  }
  for (const call of scan.calls) {
    if (!knows(call.name)) return { kind: 'correct', reason: `there is no tool named ${call.name}` };
    const problem = await validate(call.name, call.args);
    if (problem !== undefined)
      return { kind: 'correct', reason: `invalid arguments for ${call.name}: ${problem}` };
  }
  const toolCalls = scan.calls.map((call, position) => ({
    id: makeId(position),
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
  return { kind: 'recovered', toolCalls, text: scan.text, calls: scan.calls };
}

/** The user message that asks the model to call tools properly. */
function leakCorrection(reason: string): ChatMessage {
  return {
    role: 'user',
    content:
      `Your last reply contained tool-call markup in its text (${reason}), so no tool was called. ` +
      'To use a tool, call it through the tool-calling interface; do not write tool-call markup in your answer.',
  };
}

/** Corrections sent per run before the markup is left as the answer. */
const MAX_CORRECTIONS = 2;
const corrections = new WeakMap<object, number>();

/**
 * The loop's hook, after a turn arrived: a turn without `tool_calls` whose text holds DSML markup
 * comes back with the recovered calls (and the markup removed from its text), or with a
 * correction to append before asking again (at most twice per run).
 */
export function handleLeakedCalls(
  context: RunContext,
  progress: { messages: ChatMessage[] },
  turn: ModelTurn,
  stepIndex: number,
): LeakOutcome | Promise<LeakOutcome> {
  const tools = context.tools.set;
  // Without tools there is nothing to call and nothing to correct: the text is the answer.
  if (tools.tools.length === 0) return { turn };
  const mode = context.config.leakedToolCalls;
  if (mode === 'off') return { turn };
  const text = turn.message.content ?? '';
  // Almost every turn ends here, without a promise: only markup in the text needs the async path.
  if ((turn.message.tool_calls?.length ?? 0) > 0 || turn.finishReason !== 'stop' || !hasDsml(text))
    return { turn };
  return recoverLeak(context, progress, turn, stepIndex, text, mode);
}

/** What the loop goes on with: the turn (possibly with recovered calls), or a correction to send. */
type LeakOutcome = { turn: ModelTurn; correction?: ChatMessage | undefined };

async function recoverLeak(
  context: RunContext,
  progress: { messages: ChatMessage[] },
  turn: ModelTurn,
  stepIndex: number,
  text: string,
  mode: RunContext['config']['leakedToolCalls'],
): Promise<LeakOutcome> {
  const tools = context.tools.set;
  const decision = await decideLeak(
    text,
    progress.messages,
    (name) => tools.get(name) !== undefined,
    async (name, args) => {
      const parsed = await tools.get(name)!.parseArguments(JSON.stringify(args));
      return parsed.ok ? undefined : "the arguments do not match the tool's schema";
    },
    (position) => `call_dsml_${stepIndex}_${position}`,
  );
  // 'correct': recovered markup is still wrong output; the model is told to call tools properly.
  if (mode === 'correct' && decision.kind === 'recovered') {
    return correct(
      context,
      progress,
      turn,
      stepIndex,
      'leaked-tool-call recovery is turned off for this agent',
    );
  }
  if (decision.kind === 'none') return { turn };
  if (decision.kind === 'recovered') {
    context.emit?.({
      type: 'leaked-tool-calls',
      stepIndex,
      action: 'recovered',
      calls: decision.calls.map((call) => ({ name: call.name, args: call.args })),
    });
    const message = assistantMessage(decision.text, turn.message.reasoning_content ?? '', decision.toolCalls);
    return { turn: { ...turn, message, finishReason: 'tool_calls' } };
  }
  return correct(context, progress, turn, stepIndex, decision.reason);
}

/** Sends the model a correction (at most MAX_CORRECTIONS per run); the text stays as it was. */
function correct(
  context: RunContext,
  progress: { messages: ChatMessage[] },
  turn: ModelTurn,
  stepIndex: number,
  reason: string,
): LeakOutcome {
  const used = corrections.get(progress) ?? 0;
  if (used >= MAX_CORRECTIONS) return { turn };
  corrections.set(progress, used + 1);
  context.emit?.({ type: 'leaked-tool-calls', stepIndex, action: 'corrected', calls: [], reason });
  return { turn, correction: leakCorrection(reason) };
}
