import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent, AgentEvent, AgentResult, RunRecorder, RunState } from '@plumb/agent';
import { GLOBAL_RECORDER } from '@plumb/agent';
import { toNodeListener } from '@plumb/agent/web';
import type { ChatMessage } from '@plumb/core';
import { DeepSeek } from '@plumb/core';
import { createRecorder, DEFAULT_DB_PATH, type Recorder } from '@plumb/recorder';
import { type Emulator, type Script, startEmulator } from '@plumb/testing';
import { type Connection, connect } from '../connect.js';
import type { CliIo } from '../io.js';
import { type AgentModule, loadAgentModule } from '../load-agent.js';
import { replayOf } from './rerun.js';

/** A delta of a running step, shaped like a recorded event. */
interface LiveEvent {
  type: string;
  stepIndex: number;
  data: Record<string, unknown>;
  live: true;
}

function liveEventOf(event: AgentEvent<unknown>, mask: (text: string) => string): LiveEvent | undefined {
  switch (event.type) {
    case 'step-start':
      return { type: event.type, stepIndex: event.stepIndex, data: {}, live: true };
    case 'text-delta':
    case 'reasoning-delta':
      return { type: event.type, stepIndex: event.stepIndex, data: { text: mask(event.text) }, live: true };
    case 'tool-call':
      return {
        type: event.type,
        stepIndex: event.stepIndex,
        data: { id: event.id, name: event.name, rawArguments: mask(event.rawArguments) },
        live: true,
      };
    default:
      return undefined;
  }
}

/** Options of `startStudio()`. */
export interface StudioOptions {
  /** An agent module to chat with and re-run (a .ts or .js file). */
  agentModule?: string | undefined;
  /** Where runs are recorded and read: `.db` (SQLite) or `.jsonl`. @default .plumb/runs.db */
  store?: string | undefined;
  /** @default 4983; 0 picks a free port. */
  port?: number | undefined;
  io?: CliIo | undefined;
}

/** A running studio. */
export interface Studio {
  url: string;
  recorder: Recorder;
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/studio.js': 'studio.js',
  '/studio.css': 'studio.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
/** The page may load only its own script and style, and talk only to this server. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

function isChatMessages(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        (message.role === 'user' || message.role === 'assistant') &&
        typeof message.content === 'string',
    )
  );
}

/**
 * Serves the studio on 127.0.0.1. Every POST needs the page's token (a custom header a page of
 * another origin cannot send without a preflight this server never answers), and the Host header
 * must name this server (DNS rebinding). Pending approvals stay in this process: the page sends
 * only a run id, a call id and a decision.
 */
export async function startStudio(options: StudioOptions = {}): Promise<Studio> {
  const recorder = createRecorder({ store: options.store ?? DEFAULT_DB_PATH });
  const globals = globalThis as Record<symbol, unknown>;
  const previousRecorder = globals[GLOBAL_RECORDER];
  /** Ids of the top-level runs recorded so far by this process, in start order (to find a re-run's). */
  const started: string[] = [];
  /**
   * The recorder writes a step's events when the step ends; the studio keeps the running step's
   * deltas of its own runs in memory (masked like the recording) so that a timeline is live.
   */
  const live = new Map<string, LiveEvent[]>();
  const watching: RunRecorder = {
    startRun(start) {
      if (start.parentRunId === undefined) started.push(start.runId);
      // startRun is @internal in the recorder's types (the agent calls it); it is a RunRecorder.
      const recording = (recorder as unknown as RunRecorder).startRun(start);
      const mask = start.redact ?? ((text: string) => text);
      const events: LiveEvent[] = [];
      live.set(start.runId, events);
      return {
        event(event) {
          recording.event(event);
          const liveEvent = liveEventOf(event, mask);
          if (liveEvent !== undefined) events.push(liveEvent);
          if (event.type === 'step-end') events.length = 0;
        },
        async end(outcome) {
          await recording.end(outcome);
          live.delete(start.runId);
        },
      };
    },
  };
  globals[GLOBAL_RECORDER] = watching;
  const token = randomBytes(24).toString('hex');
  let connection: Connection | undefined;
  let module: AgentModule | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  let agent: Agent<any> | undefined;
  if (options.agentModule !== undefined) {
    connection = await connect();
    module = await loadAgentModule(options.agentModule);
    if (connection.offline && module.turns !== undefined) connection.emulator?.setScript(module.turns);
    agent = module.agent ?? (await module.createAgent?.({ client: connection.client }));
  }
  /** The emulator's generic answers, for when a module gives no turns. */
  const generic: Script = () => ({ content: 'Hello from the plumb emulator.' });
  /** Runs paused for approval, by run id, with their state (never sent to the page). */
  const pending = new Map<string, RunState>();
  /** One emulator replay at a time: the shared offline emulator's script is swapped for it. */
  let replaying: Promise<unknown> = Promise.resolve();

  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  const keepPending = (stream: { result: Promise<AgentResult<any>> }) => {
    stream.result.then(
      (result) => {
        // Keyed by the recorded run's id, which the page knows from the run list.
        const recordedId = result.state?.toJSON().trace?.runId;
        if (result.state !== undefined && recordedId !== undefined) pending.set(recordedId, result.state);
      },
      () => {},
    );
  };

  const page = async (file: string): Promise<Response> => {
    let text = await readFile(new URL(`./assets/${file}`, import.meta.url), 'utf8');
    if (file === 'index.html') text = text.replace('__PLUMB_TOKEN__', token);
    return new Response(text, {
      headers: {
        'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'text/plain',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      },
    });
  };

  let port = 0;
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const host = request.headers.get('host');
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return json(421, { error: 'The studio answers only on 127.0.0.1 / localhost.' });
    }
    if (request.method === 'POST' && request.headers.get('x-plumb-token') !== token) {
      return json(403, { error: 'Missing or wrong x-plumb-token (reload the page).' });
    }
    const path = url.pathname;
    const asset = ASSETS[path];
    if (request.method === 'GET' && asset !== undefined) return page(asset);
    if (request.method === 'GET' && path === '/api/info') {
      return json(200, {
        agent: agent !== undefined,
        offline: connection?.offline ?? !process.env.DEEPSEEK_API_KEY,
      });
    }
    if (request.method === 'GET' && path === '/api/runs') {
      return json(200, { runs: await recorder.listRuns({ limit: 200 }) });
    }
    const match = /^\/api\/runs\/([^/]+)(?:\/(decide|rerun))?$/.exec(path);
    if (match !== null) {
      const runId = decodeURIComponent(match[1] ?? '');
      const action = match[2];
      if (request.method === 'GET' && action === undefined) {
        const run = await recorder.readRun(runId);
        if (run === undefined) return json(404, { error: `No recorded run ${runId}.` });
        const running = (live.get(runId) ?? []).map((event, index) => ({
          ...event,
          runId,
          seq: -1 - index,
          at: '',
        }));
        run.events.push(...running);
        const state = pending.get(runId);
        const approvable = state === undefined ? [] : state.interruptions.map((call) => call.id);
        return json(200, { ...run, approvable });
      }
      if (request.method === 'POST' && action === 'decide') return decide(runId, request);
      if (request.method === 'POST' && action === 'rerun') return rerun(runId);
    }
    if (request.method === 'POST' && path === '/api/chat') return chat(request);
    return json(404, { error: `No route ${request.method} ${path}.` });
  };

  const chat = async (request: Request): Promise<Response> => {
    if (agent === undefined)
      return json(409, { error: 'Start the studio with an agent module to chat: plumb studio agent.ts' });
    const body = (await request.json().catch(() => undefined)) as { messages?: unknown } | undefined;
    if (!isChatMessages(body?.messages)) {
      return json(400, {
        error: '`messages` must be a non-empty array of { role: "user" | "assistant", content: string }.',
      });
    }
    const stream = agent.stream(body.messages, { signal: request.signal });
    keepPending(stream);
    return stream.toUIMessageStreamResponse();
  };

  const decide = async (runId: string, request: Request): Promise<Response> => {
    const state = pending.get(runId);
    if (state === undefined || agent === undefined) {
      return json(404, { error: `Run ${runId} has no call waiting for this studio's approval.` });
    }
    const body = (await request.json().catch(() => undefined)) as
      | { callId?: unknown; approved?: unknown }
      | undefined;
    const call = state.interruptions.find((item) => item.id === body?.callId);
    if (call === undefined || typeof body?.approved !== 'boolean') {
      return json(400, {
        error: '`callId` must name a pending call of the run and `approved` must be true or false.',
      });
    }
    if (body.approved) state.approve(call.id);
    else state.reject(call.id, { reason: 'Rejected in plumb studio.' });
    if (state.interruptions.some((item) => state.decision(item.id) === undefined)) {
      return json(200, { waiting: true });
    }
    pending.delete(runId);
    // The resumed run goes on in the background (and is recorded); the page watches the recording.
    keepPending(agent.stream(state, {}));
    return json(200, { resumed: true });
  };

  const rerun = async (runId: string): Promise<Response> => {
    if (module === undefined || connection === undefined) {
      return json(409, { error: 'Start the studio with an agent module to re-run: plumb studio agent.ts' });
    }
    const recorded = await recorder.readRun(runId);
    if (recorded === undefined) return json(404, { error: `No recorded run ${runId}.` });
    const replay = replayOf(recorded);
    if (replay === undefined)
      return json(409, { error: `Run ${runId} has no recorded input to re-run (a resumed run?).` });
    let emulator: Emulator | undefined;
    // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
    let target: Agent<any> | undefined;
    if (module.createAgent !== undefined && module.agent === undefined) {
      emulator = await startEmulator({ script: replay.turns });
      target = await module.createAgent({
        client: new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url }),
      });
    } else if (connection.offline && connection.emulator !== undefined) {
      target = agent;
    } else {
      return json(409, {
        error:
          'To re-run against the emulator while DEEPSEEK_API_KEY is set, export createAgent({ client }) from the module.',
      });
    }
    if (target === undefined) return json(500, { error: 'The module made no agent.' });
    const shared = emulator === undefined ? connection.emulator : undefined;
    const run = replaying.then(async () => {
      shared?.setScript(replay.turns);
      const before = started.length;
      try {
        const stream = target.stream(replay.input, {});
        keepPending(stream);
        await stream.result.catch(() => {});
        return started[before];
      } finally {
        if (shared !== undefined) shared.setScript(module?.turns ?? generic);
        await emulator?.close();
      }
    });
    replaying = run.catch(() => {});
    const newRunId = await run;
    await recorder.flush();
    return json(200, { runId: newRunId });
  };

  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4983, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    recorder,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await recorder.close();
      await connection?.close();
      if (previousRecorder === undefined) delete globals[GLOBAL_RECORDER];
      else globals[GLOBAL_RECORDER] = previousRecorder;
    },
  };
}
