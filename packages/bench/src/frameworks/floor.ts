import { globalAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { STREAM_PROMPT } from '../bench-script.js';
import { TOOL_DEFINITIONS } from '../tools.js';
import { type AssistantTurn, type ChunkLike, cleanTurn, manualLoop, TurnAssembler } from './manual-loop.js';
import type { Framework, Target } from './types.js';

/**
 * The floor: a minimal hand-written loop and SSE parser, no library, on `fetch` and on `node:http`
 * (the cheapest correct loop on Node: keep-alive, `content-length`, text chunks straight from the
 * socket). Nothing an agent framework does can be cheaper than these; ratios are taken against them.
 */

const THINKING_OFF = { type: 'disabled' } as const;

/** Row labels of the node:http floor (non-streaming, streaming). */
export const NODE_FLOOR_LABEL = 'floor: node:http loop';
export const NODE_STREAM_FLOOR_LABEL = 'floor: node:http + SSE loop';
/** Row label of the node:http floor's reader in the stream scenario. */
const NODE_STREAM_READER_LABEL = 'floor: node:http + minimal SSE parser';

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

/** POSTs `body` with node:http; resolves with the answer once a 200 arrived (any other status rejects). */
function postNode(url: string, apiKey: string, body: unknown): Promise<IncomingMessage> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}/chat/completions`,
      {
        method: 'POST',
        // Node's global agent, as plumb's node transport uses: keep-alive, and it closes an idle
        // connection a second before the server's `Keep-Alive: timeout` hint. (A `new Agent({
        // keepAlive: true })` without a `timeout` ignores the hint and races the server's close:
        // "socket hang up" on a reused connection.)
        agent: globalAgent,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        if (response.statusCode === 200) return resolve(response);
        readText(response).then(
          (answer) => reject(new Error(`HTTP ${response.statusCode}: ${answer}`)),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

/** The whole body as text; a connection cut before the end rejects. */
function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (piece: string) => {
      text += piece;
    });
    response.on('end', () => resolve(text));
    response.on('error', reject);
  });
}

/** `readSse` over a node:http answer: the same split on blank lines, from `data` events. */
function readSseNode(response: IncomingMessage, onData: (data: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (piece: string) => {
      buffer += piece;
      let start = 0;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        if (buffer.startsWith('data: ', start)) onData(buffer.slice(start + 6, end));
        start = end + 2;
        end = buffer.indexOf('\n\n', start);
      }
      buffer = buffer.slice(start);
    });
    response.on('end', resolve);
    response.on('error', reject);
  });
}

/** Reads a streamed turn into an assistant message. */
async function readTurn(response: Response): Promise<AssistantTurn> {
  const assembler = new TurnAssembler();
  await readSse(response, (data) => {
    if (data !== '[DONE]') assembler.add(JSON.parse(data) as ChunkLike);
  });
  return assembler.message();
}

/** The content of a streamed answer: every `delta.content`, joined. */
async function readContent<R>(
  read: (response: R, onData: (data: string) => void) => Promise<void>,
  response: R,
) {
  let content = '';
  await read(response, (data) => {
    if (data === '[DONE]') return;
    const piece = (JSON.parse(data) as ChunkLike).choices[0]?.delta?.content;
    if (piece) content += piece;
  });
  return content;
}

export function floor(target: Target): Framework {
  const { url, apiKey, model } = target;
  const streamBody = {
    model,
    messages: [{ role: 'user', content: STREAM_PROMPT }],
    thinking: THINKING_OFF,
    stream: true,
  };
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
  const nodeRequest = (stream: boolean) => async (messages: unknown[]) => {
    const response = await postNode(url, apiKey, {
      model,
      messages,
      tools: TOOL_DEFINITIONS,
      thinking: THINKING_OFF,
      stream,
    });
    if (!stream) {
      return cleanTurn(
        (JSON.parse(await readText(response)) as { choices: [{ message: AssistantTurn }] }).choices[0]
          .message,
      );
    }
    const assembler = new TurnAssembler();
    await readSseNode(response, (data) => {
      if (data !== '[DONE]') assembler.add(JSON.parse(data) as ChunkLike);
    });
    return assembler.message();
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
      {
        label: NODE_FLOOR_LABEL,
        mode: 'non-stream',
        run: (spec) => manualLoop(spec, nodeRequest(false)),
      },
      {
        label: NODE_STREAM_FLOOR_LABEL,
        mode: 'stream',
        run: (spec) => manualLoop(spec, nodeRequest(true)),
      },
    ],
    agentLoop: streamLoop,
    readers: [
      {
        label: 'floor: fetch + minimal SSE parser',
        read: () =>
          post(target.streamURL, apiKey, streamBody).then((response) => readContent(readSse, response)),
      },
      {
        label: NODE_STREAM_READER_LABEL,
        read: () =>
          postNode(target.streamURL, apiKey, streamBody).then((response) =>
            readContent(readSseNode, response),
          ),
      },
    ],
  };
}
