import { createDeepSeek } from '@ai-sdk/deepseek';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { type LoopSpec, loopPrompt, STREAM_PROMPT } from '../bench-script.js';
import { runStep, runWait, STEP_DESCRIPTION, WAIT_DESCRIPTION } from '../tools.js';
import type { Framework, LoopRunner, Target } from './types.js';

/** The Vercel AI SDK (`ai`) with its DeepSeek provider: generateText / streamText with tools. */
export function aiSdk(target: Target, versions: Record<string, string>): Framework {
  const model = createDeepSeek({ apiKey: target.apiKey, baseURL: target.url }).chat(target.model);
  const streamModel = createDeepSeek({ apiKey: target.apiKey, baseURL: target.streamURL }).chat(target.model);
  const providerOptions = { deepseek: { thinking: { type: 'disabled' as const } } };
  const tools = {
    step: tool({
      description: STEP_DESCRIPTION,
      inputSchema: z.object({ n: z.number().int() }),
      execute: async (args) => runStep(args),
    }),
    wait: tool({
      description: WAIT_DESCRIPTION,
      inputSchema: z.object({ ms: z.number().int() }),
      execute: (args) => runWait(args),
    }),
  };
  const options = (spec: LoopSpec) => ({
    model,
    prompt: loopPrompt(spec),
    tools,
    stopWhen: stepCountIs(spec.steps + 1),
    providerOptions,
  });
  const streamLoop: LoopRunner = {
    label: 'ai streamText()',
    mode: 'stream',
    async run(spec) {
      const result = streamText(options(spec));
      for await (const _text of result.textStream) {
        // consume the text deltas, as a UI would
      }
      return await result.text;
    },
  };
  return {
    name: 'ai',
    versions,
    loops: [
      {
        label: 'ai generateText()',
        mode: 'non-stream',
        run: async (spec) => (await generateText(options(spec))).text,
      },
      streamLoop,
    ],
    agentLoop: streamLoop,
    readers: [
      {
        label: 'ai streamText() textStream',
        async read() {
          const result = streamText({ model: streamModel, prompt: STREAM_PROMPT, providerOptions });
          let content = '';
          for await (const text of result.textStream) content += text;
          return content;
        },
      },
    ],
  };
}
