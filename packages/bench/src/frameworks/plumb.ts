import { Agent } from '@plumb/agent';
import { type ChatCompletionCreateParamsBase, type ChatMessage, DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { type LoopSpec, loopPrompt, STREAM_PROMPT } from '../bench-script.js';
import { runStep, runWait, STEP_DESCRIPTION, TOOL_DEFINITIONS, WAIT_DESCRIPTION } from '../tools.js';
import { cleanTurn, manualLoop, type WireMessage } from './manual-loop.js';
import { noopExportTracer } from './noop-tracer.js';
import type { Framework, LoopRunner, Target } from './types.js';

/** The row of the agent with telemetry on (the telemetry scenario compares it to `plumb Agent.run()`). */
export const TRACED_LABEL = 'plumb Agent.run() + telemetry (no-op exporter)';

/** The row of the agent on core's fetch transport (Node's default is node:http). */
export const FETCH_AGENT_LABEL = 'plumb Agent.run() on the fetch transport';

/** plumb: the Agent (always streams internally), and core's client in a hand-written loop. */
export function plumb(target: Target, versions: Record<string, string>): Framework {
  const client = new DeepSeek({ apiKey: target.apiKey, baseURL: target.url });
  const streamClient = new DeepSeek({ apiKey: target.apiKey, baseURL: target.streamURL });
  const tools = [
    tool({
      name: 'step',
      description: STEP_DESCRIPTION,
      parameters: z.object({ n: z.number().int() }),
      execute: async (args) => runStep(args),
    }),
    tool({
      name: 'wait',
      description: WAIT_DESCRIPTION,
      parameters: z.object({ ms: z.number().int() }),
      execute: (args) => runWait(args),
    }),
  ];
  const agent = new Agent({ client, model: 'deepseek-flash', tools, thinking: false });
  // The same agent on core's fetch transport (Node's own fetch passed in), as other runtimes and
  // callers with their own fetch get it; by default on Node core sends with node:http.
  const fetchClient = new DeepSeek({ apiKey: target.apiKey, baseURL: target.url, fetch: globalThis.fetch });
  const fetchAgent = new Agent({ client: fetchClient, model: 'deepseek-flash', tools, thinking: false });
  // The same agent with OpenTelemetry on: every span recorded by the SDK, exported nowhere.
  const traced = new Agent({
    client,
    model: 'deepseek-flash',
    tools,
    thinking: false,
    telemetry: { tracer: noopExportTracer(), metrics: false },
  });

  const params = (messages: WireMessage[]): ChatCompletionCreateParamsBase => ({
    model: target.model,
    messages: messages as ChatMessage[],
    tools: TOOL_DEFINITIONS,
    thinking: { type: 'disabled' },
  });
  const run = async (spec: LoopSpec) =>
    (await agent.run(loopPrompt(spec), { maxSteps: spec.steps + 1 })).text;
  const agentRun = (mode: LoopRunner['mode']): LoopRunner => ({
    label: 'plumb Agent.run()',
    mode,
    note: mode === 'non-stream' ? 'the agent always streams; ratio to the non-streaming floor' : undefined,
    notJudged: mode === 'non-stream' ? 'streams by design, judged in the streaming rows' : undefined,
    run,
  });
  return {
    name: 'plumb',
    versions,
    loops: [
      {
        label: 'plumb core create() loop',
        mode: 'non-stream',
        run: (spec) =>
          manualLoop(spec, async (messages) =>
            cleanTurn((await client.chat.completions.create(params(messages))).choices[0]!.message),
          ),
      },
      agentRun('non-stream'),
      {
        label: 'plumb core stream() loop',
        mode: 'stream',
        run: (spec) =>
          manualLoop(spec, async (messages) => {
            const stream = client.chat.completions.stream(params(messages));
            for await (const _chunk of stream) {
              // iterate every chunk, as a UI would; core assembles the turn
            }
            return cleanTurn((await stream.finalCompletion()).choices[0]!.message);
          }),
      },
      agentRun('stream'),
      {
        label: FETCH_AGENT_LABEL,
        mode: 'stream',
        notJudged: 'the fetch transport (other runtimes, a caller fetch), for comparison',
        run: async (spec) => (await fetchAgent.run(loopPrompt(spec), { maxSteps: spec.steps + 1 })).text,
      },
      {
        label: TRACED_LABEL,
        mode: 'stream',
        notJudged: 'telemetry overhead, judged in its own scenario',
        run: async (spec) => (await traced.run(loopPrompt(spec), { maxSteps: spec.steps + 1 })).text,
      },
      {
        label: 'plumb Agent.stream() events',
        mode: 'stream',
        async run(spec) {
          const stream = agent.stream(loopPrompt(spec), { maxSteps: spec.steps + 1 });
          for await (const _event of stream) {
            // consume every event, as a UI would
          }
          return (await stream.result).text;
        },
      },
    ],
    agentLoop: agentRun('stream'),
    readers: [
      {
        label: 'plumb stream() + finalCompletion()',
        async read() {
          const stream = streamClient.chat.completions.stream({
            model: target.model,
            messages: [{ role: 'user', content: STREAM_PROMPT }],
            thinking: { type: 'disabled' },
          });
          for await (const _chunk of stream) {
            // iterate every chunk, as a UI would
          }
          return (await stream.finalCompletion()).choices[0]?.message.content ?? '';
        },
      },
    ],
  };
}
