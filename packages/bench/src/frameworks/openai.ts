import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { STREAM_PROMPT } from '../bench-script.js';
import { TOOL_DEFINITIONS } from '../tools.js';
import { cleanTurn, manualLoop, TurnAssembler, type WireMessage } from './manual-loop.js';
import type { Framework, Target } from './types.js';

/** DeepSeek's `thinking` switch is not an OpenAI field: it rides along in the body. */
type WithThinking<T> = T & { thinking: { type: 'disabled' } };

/** openai: the official client in a hand-written loop (what most DeepSeek users start with). */
export function openai(target: Target, versions: Record<string, string>): Framework {
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.url });
  const streamClient = new OpenAI({ apiKey: target.apiKey, baseURL: target.streamURL });
  const base = (messages: WireMessage[]) => ({
    model: target.model,
    messages: messages as ChatCompletionMessageParam[],
    tools: TOOL_DEFINITIONS,
    thinking: { type: 'disabled' as const },
  });
  const streamLoop = {
    label: 'openai create(stream) loop',
    mode: 'stream' as const,
    run: (spec: Parameters<typeof manualLoop>[0]) =>
      manualLoop(spec, async (messages) => {
        const params: WithThinking<ChatCompletionCreateParamsStreaming> = { ...base(messages), stream: true };
        const assembler = new TurnAssembler();
        for await (const chunk of await client.chat.completions.create(params)) assembler.add(chunk);
        return assembler.message();
      }),
  };
  const streamParams: WithThinking<ChatCompletionCreateParamsStreaming> = {
    model: target.model,
    messages: [{ role: 'user', content: STREAM_PROMPT }],
    thinking: { type: 'disabled' },
    stream: true,
  };
  return {
    name: 'openai',
    versions,
    loops: [
      {
        label: 'openai create() loop',
        mode: 'non-stream',
        run: (spec) =>
          manualLoop(spec, async (messages) => {
            const params: WithThinking<ChatCompletionCreateParamsNonStreaming> = base(messages);
            const message = (await client.chat.completions.create(params)).choices[0]!.message;
            return cleanTurn(message as Parameters<typeof cleanTurn>[0]); // only function tools are sent
          }),
      },
      streamLoop,
    ],
    agentLoop: streamLoop,
    readers: [
      {
        label: 'openai create(stream) + concat',
        async read() {
          let content = '';
          for await (const chunk of await streamClient.chat.completions.create(streamParams)) {
            const piece = chunk.choices[0]?.delta.content;
            if (piece) content += piece;
          }
          return content;
        },
      },
      {
        label: 'openai stream() + finalChatCompletion()',
        async read() {
          const stream = streamClient.chat.completions.stream(streamParams);
          for await (const _chunk of stream) {
            // iterate every chunk, as a UI would
          }
          return (await stream.finalChatCompletion()).choices[0]?.message.content ?? '';
        },
      },
    ],
  };
}
