/**
 * The loops of the client-only measurements, on an in-process fake `fetch` that answers from
 * pre-encoded SSE bytes (no network: only client work is timed): the minimal streaming loop (the
 * floor), plumb's core client in a hand-written loop with a frozen history, and `Agent.run()`.
 * Used by client-only-child.ts (the bench scenario) and client-only-profile.ts (by hand).
 */
import { Agent } from '@plumb/agent';
import { type ChatCompletionStreamParams, type ChatMessage, DeepSeek, deepFreeze } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { readSse } from './frameworks/floor.js';
import { type ChunkLike, TurnAssembler, type WireMessage } from './frameworks/manual-loop.js';

const encoder = new TextEncoder();
const chunk = (delta: unknown, finish: string | null, usage?: unknown) =>
  `data: ${JSON.stringify({
    id: 'bench',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'deepseek-flash',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  })}\n\n`;
const USAGE = { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 };
const TOOL_TURN = encoder.encode(
  chunk(
    {
      role: 'assistant',
      content: '',
      tool_calls: [
        { index: 0, id: 'call_0', type: 'function', function: { name: 'step', arguments: '{"n":0}' } },
      ],
    },
    null,
  ) +
    chunk({}, 'tool_calls', USAGE) +
    'data: [DONE]\n\n',
);
const finalTurns = new Map<number, Uint8Array>();
function finalTurn(steps: number): Uint8Array {
  let bytes = finalTurns.get(steps);
  if (bytes === undefined) {
    bytes = encoder.encode(
      chunk({ role: 'assistant', content: answerOf(steps) }, null) +
        chunk({}, 'stop', USAGE) +
        'data: [DONE]\n\n',
    );
    finalTurns.set(steps, bytes);
  }
  return bytes;
}
const answerOf = (steps: number) => `done after ${steps} steps`;
const SSE_HEADERS = { 'content-type': 'text/event-stream' };

/** Turns left per run, by the run's `x-bench-run` header. */
const runs = new Map<string, { left: number; steps: number }>();
let nextRun = 0;

/** The fake fetch: answers a run's requests with tool turns until its steps are done. */
const fakeFetch: typeof fetch = async (_url, init) => {
  const id = (init!.headers as Record<string, string>)['x-bench-run']!;
  const run = runs.get(id)!;
  const body = run.left-- > 0 ? TOOL_TURN : finalTurn(run.steps);
  return new Response(body as BodyInit, { status: 200, headers: SSE_HEADERS });
};

function newRun(steps: number): string {
  const id = String(nextRun++);
  runs.set(id, { left: steps, steps });
  return id;
}

const PROMPT = 'Call step until done.';
const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'step',
      description: 'Returns the next number',
      parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    },
  },
];

/** The minimal streaming loop (the floor): fetch, SSE parse, tool, append, repeat. */
export async function floorRun(steps: number, signal?: AbortSignal): Promise<WireMessage[]> {
  const run = newRun(steps);
  const headers = {
    authorization: 'Bearer sk-bench',
    'content-type': 'application/json',
    'x-bench-run': run,
  };
  const messages: WireMessage[] = [{ role: 'user', content: PROMPT }];
  try {
    for (;;) {
      const response = await fakeFetch('http://bench.invalid/chat/completions', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: 'deepseek-flash',
          messages,
          tools: TOOLS,
          thinking: { type: 'disabled' },
          stream: true,
          stream_options: { include_usage: true },
        }),
        redirect: 'error',
        signal: signal ?? null,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const turn = new TurnAssembler();
      await readSse(response, (data) => {
        if (data !== '[DONE]') turn.add(JSON.parse(data) as ChunkLike);
      });
      const message = turn.message();
      messages.push(message);
      const calls = message.tool_calls;
      if (calls === undefined || calls.length === 0) {
        if (message.content !== answerOf(steps)) throw new Error(`floor answered ${message.content}`);
        return messages;
      }
      for (const call of calls) {
        const { n } = JSON.parse(call.function.arguments) as { n: number };
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ next: n + 1 }) });
      }
    }
  } finally {
    runs.delete(run);
  }
}

const client = new DeepSeek({
  apiKey: 'sk-bench',
  baseURL: 'http://bench.invalid',
  fetch: fakeFetch,
  maxRetries: 0,
});
const agent = new Agent({
  client,
  model: 'deepseek-flash',
  thinking: false,
  tools: [
    tool({
      name: 'step',
      description: 'Returns the next number',
      parameters: z.object({ n: z.number() }),
      execute: async ({ n }) => ({ next: n + 1 }),
    }),
  ],
});

export async function plumbRun(steps: number, signal?: AbortSignal) {
  const run = newRun(steps);
  try {
    const result = await agent.run(PROMPT, {
      maxSteps: steps + 1,
      requestOptions: { headers: { 'x-bench-run': run } },
      ...(signal === undefined ? {} : { signal }),
    });
    if (result.text !== answerOf(steps))
      throw new Error(`plumb answered ${result.text} (${result.finishReason})`);
    return result;
  } finally {
    runs.delete(run);
  }
}

const FROZEN_TOOLS = deepFreeze(structuredClone(TOOLS)) as ChatCompletionStreamParams['tools'];
const THINKING_OFF = Object.freeze({ type: 'disabled' as const });

/**
 * plumb's core client in a careful hand-written loop: `stream()` + `finalCompletion()`, the
 * history kept frozen (as the agent keeps it), the tool run by hand. What core costs without the
 * agent around it.
 */
export async function coreRun(steps: number): Promise<ChatMessage[]> {
  const run = newRun(steps);
  const messages: ChatMessage[] = [Object.freeze({ role: 'user', content: PROMPT })];
  const options = { headers: { 'x-bench-run': run } };
  try {
    for (;;) {
      const stream = client.chat.completions.stream(
        { model: 'deepseek-flash', messages, tools: FROZEN_TOOLS, thinking: THINKING_OFF },
        options,
      );
      const message = (await stream.finalCompletion()).choices[0]!.message;
      const calls = message.tool_calls ?? [];
      messages.push(
        deepFreeze({
          role: 'assistant',
          content: message.content ?? '',
          reasoning_content: '',
          ...(calls.length === 0 ? {} : { tool_calls: structuredClone(calls) }),
        }),
      );
      if (calls.length === 0) {
        if (message.content !== answerOf(steps)) throw new Error(`core answered ${message.content}`);
        return messages;
      }
      for (const call of calls) {
        const { n } = JSON.parse(call.function.arguments) as { n: number };
        messages.push(
          Object.freeze({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ next: n + 1 }) }),
        );
      }
    }
  } finally {
    runs.delete(run);
  }
}
