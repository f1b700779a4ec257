import { type LoopSpec, loopPrompt } from '../bench-script.js';
import { callTool } from '../tools.js';

/**
 * What the hand-written loops (the fetch floor, openai, plumb core) share: the message shapes,
 * a streamed-turn assembler and the loop itself, so they differ only in how a turn is requested.
 */

export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface AssistantTurn {
  role: 'assistant';
  content: string | null;
  tool_calls?: WireToolCall[] | undefined;
}

export type WireMessage =
  | { role: 'user'; content: string }
  | AssistantTurn
  | { role: 'tool'; tool_call_id: string; content: string };

/** The parts of a `chat.completion.chunk` the assembler reads. */
export interface ChunkLike {
  choices: ReadonlyArray<{
    delta?:
      | {
          content?: string | null | undefined;
          tool_calls?:
            | ReadonlyArray<{
                index: number;
                id?: string | undefined;
                function?: { name?: string | undefined; arguments?: string | undefined } | undefined;
              }>
            | undefined;
        }
      | undefined;
  }>;
}

/** Assembles one streamed assistant turn from its chunks (content and tool-call fragments). */
export class TurnAssembler {
  content = '';
  readonly calls: WireToolCall[] = [];

  add(chunk: ChunkLike): void {
    const delta = chunk.choices[0]?.delta;
    if (delta === undefined) return;
    if (delta.content) this.content += delta.content;
    const fragments = delta.tool_calls;
    if (fragments === undefined) return;
    for (const fragment of fragments) {
      let call = this.calls[fragment.index];
      if (call === undefined) {
        call = { id: '', type: 'function', function: { name: '', arguments: '' } };
        this.calls[fragment.index] = call;
      }
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.function.name += fragment.function.name;
      if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
    }
  }

  message(): AssistantTurn {
    return this.calls.length > 0
      ? { role: 'assistant', content: this.content, tool_calls: this.calls }
      : { role: 'assistant', content: this.content };
  }
}

/** Keeps only the fields a request needs (drops `index` and the like from a non-streamed answer). */
export function cleanTurn(message: {
  content?: string | null | undefined;
  tool_calls?:
    | ReadonlyArray<{ id: string; function: { name: string; arguments: string } }>
    | null
    | undefined;
}): AssistantTurn {
  const calls = message.tool_calls;
  if (!calls || calls.length === 0) return { role: 'assistant', content: message.content ?? '' };
  return {
    role: 'assistant',
    content: message.content ?? '',
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    })),
  };
}

/**
 * The tool loop of the hand-written runners: request a turn with the history, run its tool calls
 * (concurrently), append the turn and one tool message per call, repeat until a turn without
 * calls. Bounded: throws after `spec.steps + 1` turns.
 */
export async function manualLoop(
  spec: LoopSpec,
  requestTurn: (messages: WireMessage[]) => Promise<AssistantTurn>,
): Promise<string> {
  const messages: WireMessage[] = [{ role: 'user', content: loopPrompt(spec) }];
  for (let turn = 0; turn <= spec.steps; turn++) {
    const message = await requestTurn(messages);
    messages.push(message);
    const calls = message.tool_calls;
    if (calls === undefined || calls.length === 0) return message.content ?? '';
    const results = await Promise.all(
      calls.map((call) => callTool(call.function.name, call.function.arguments)),
    );
    for (let index = 0; index < calls.length; index++) {
      messages.push({ role: 'tool', tool_call_id: calls[index]!.id, content: results[index]! });
    }
  }
  throw new Error(`the loop did not stop after ${spec.steps + 1} turns`);
}
