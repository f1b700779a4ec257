import type { AgentStep } from '@plumb/agent';
import type { ChatMessage } from '@plumb/core';
import type { RecordedRun } from '@plumb/recorder';
import type { Turn } from '@plumb/testing';

/**
 * What a re-run needs from a recording: its input (the user and assistant messages it started
 * from) and the emulator turns that replay what the model said at each step.
 */
export function replayOf(recorded: RecordedRun): { input: ChatMessage[]; turns: Turn[] } | undefined {
  const start = recorded.events.find((event) => event.type === 'run-start');
  const messages = (start?.data as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return undefined;
  const input = (messages as ChatMessage[]).filter((message) => message.role !== 'system');
  if (input.length === 0) return undefined;
  const turns: Turn[] = [];
  for (const event of recorded.events) {
    if (event.type !== 'step-end') continue;
    const step = (event.data as { step?: AgentStep }).step;
    if (step === undefined) continue;
    const turn: Turn = { content: step.text };
    if (step.reasoning !== '') turn.reasoning = step.reasoning;
    if (step.toolCalls.length > 0) {
      turn.toolCalls = step.toolCalls.map((call) => ({
        name: call.name,
        arguments: call.rawArguments,
        id: call.id,
      }));
    }
    turns.push(turn);
  }
  return { input, turns };
}
