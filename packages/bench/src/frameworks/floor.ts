import { STREAM_PROMPT } from '../bench-script.js';
import { TOOL_DEFINITIONS } from '../tools.js';
import { type AssistantTurn, type ChunkLike, cleanTurn, manualLoop, TurnAssembler } from './manual-loop.js';
import type { Framework, Target } from './types.js';

/**
 * The floor: a minimal hand-written `fetch` loop and SSE parser, no library. Nothing an agent
 * framework does can be cheaper than this; every ratio is taken against it.
 */

const THINKING_OFF = { type: 'disabled' } as const;

/** Calls `onData` with the payload of every `data:` line of an SSE body (split on blank lines). */
export async function readSse(response: Response, onData: (data: string) => void): Promise<void> {
  if (response.body === null) throw new Error('the response has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      if (buffer.startsWith('data: ', start)) onData(buffer.slice(start + 6, end));
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    buffer = buffer.slice(start);
  }
}

async function post(url: string, apiKey: string, body: unknown): Promise<Response> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    // As plumb does: refusing redirects also spares undici a copy of every request, so the
    // default mode would make the floor slower than a careful hand-written loop.
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return response;
}

/** Reads a streamed turn into an assistant message. */
async function readTurn(response: Response): Promise<AssistantTurn> {
  const assembler = new TurnAssembler();
  await readSse(response, (data) => {
    if (data !== '[DONE]') assembler.add(JSON.parse(data) as ChunkLike);
  });
  return assembler.message();
}

export function floor(target: Target): Framework {
  const { url, apiKey, model } = target;
  const request = (stream: boolean) => (messages: unknown[]) =>
    post(url, apiKey, { model, messages, tools: TOOL_DEFINITIONS, thinking: THINKING_OFF, stream }).then(
      async (response) =>
        stream
          ? readTurn(response)
          : cleanTurn(
              ((await response.json()) as { choices: [{ message: AssistantTurn }] }).choices[0].message,
            ),
    );
  const streamLoop = {
    label: 'floor: fetch + SSE loop',
    mode: 'stream' as const,
    run: (spec: Parameters<typeof manualLoop>[0]) => manualLoop(spec, request(true)),
  };
  return {
    name: 'floor',
    versions: {},
    loops: [
      {
        label: 'floor: fetch loop',
        mode: 'non-stream',
        run: (spec) => manualLoop(spec, request(false)),
      },
      streamLoop,
    ],
    agentLoop: streamLoop,
    readers: [
      {
        label: 'floor: fetch + minimal SSE parser',
        async read() {
          const response = await post(target.streamURL, apiKey, {
            model,
            messages: [{ role: 'user', content: STREAM_PROMPT }],
            thinking: THINKING_OFF,
            stream: true,
          });
          let content = '';
          await readSse(response, (data) => {
            if (data === '[DONE]') return;
            const piece = (JSON.parse(data) as ChunkLike).choices[0]?.delta?.content;
            if (piece) content += piece;
          });
          return content;
        },
      },
    ],
  };
}
