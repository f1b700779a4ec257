import { Agent, OpenAIChatCompletionsModel, run, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { loopPrompt, STREAM_PROMPT } from '../bench-script.js';
import { runStep, runWait, STEP_DESCRIPTION, WAIT_DESCRIPTION } from '../tools.js';
import type { Framework, LoopRunner, Target } from './types.js';

/**
 * The OpenAI Agents SDK on its Chat Completions model (DeepSeek has no Responses API), tracing off
 * (it would upload to OpenAI).
 */
export function openaiAgents(target: Target, versions: Record<string, string>): Framework {
  setTracingDisabled(true);
  const modelSettings = { providerData: { thinking: { type: 'disabled' } } };
  const tools = [
    tool({
      name: 'step',
      description: STEP_DESCRIPTION,
      parameters: z.object({ n: z.number().int() }),
      execute: async (args) => JSON.stringify(runStep(args)),
    }),
    tool({
      name: 'wait',
      description: WAIT_DESCRIPTION,
      parameters: z.object({ ms: z.number().int() }),
      execute: async (args) => JSON.stringify(await runWait(args)),
    }),
  ];
  const agentOn = (baseURL: string) =>
    new Agent({
      name: 'bench',
      model: new OpenAIChatCompletionsModel(new OpenAI({ apiKey: target.apiKey, baseURL }), target.model),
      modelSettings,
      tools,
    });
  const agent = agentOn(target.url);
  const streamAgent = agentOn(target.streamURL);
  const streamLoop: LoopRunner = {
    label: '@openai/agents run(stream)',
    mode: 'stream',
    async run(spec) {
      const result = await run(agent, loopPrompt(spec), { stream: true, maxTurns: spec.steps + 1 });
      for await (const _event of result) {
        // consume every event, as a UI would
      }
      await result.completed;
      return String(result.finalOutput ?? '');
    },
  };
  return {
    name: '@openai/agents',
    versions,
    loops: [
      {
        label: '@openai/agents run()',
        mode: 'non-stream',
        run: async (spec) =>
          String((await run(agent, loopPrompt(spec), { maxTurns: spec.steps + 1 })).finalOutput ?? ''),
      },
      streamLoop,
    ],
    agentLoop: streamLoop,
    readers: [
      {
        label: '@openai/agents run(stream) text',
        async read() {
          const result = await run(streamAgent, STREAM_PROMPT, { stream: true });
          let content = '';
          for await (const text of result.toTextStream()) content += text;
          await result.completed;
          return content;
        },
      },
    ],
  };
}
