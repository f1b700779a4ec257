/**
 * The weather agent written by hand with the openai SDK, for docs/guides/migrating-from-openai.md.
 * It works, but every DeepSeek detail is yours to get right: reasoning_content is not in the
 * openai types and must be sent back, arguments are unvalidated JSON, and usage has no price.
 *   pnpm example openai-compat
 */
import OpenAI from 'openai';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { lookUpWeather } from './lib/weather.js';

run(async () => {
  const { emulator } = await connect({
    script: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { content: 'It is 18 °C with light rain in Paris: take an umbrella.' },
    ],
  });
  const openai = new OpenAI(
    emulator
      ? { baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 }
      : { baseURL: 'https://api.deepseek.com', apiKey: process.env.DEEPSEEK_API_KEY },
  );

  // #region openai-loop
  const tools: OpenAI.Chat.ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city: temperature in °C and conditions.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You answer questions about the weather. Use get_weather.' },
    { role: 'user', content: 'Do I need an umbrella in Paris today?' },
  ];

  for (let step = 0; step < 10; step++) {
    const completion = await openai.chat.completions.create({ model: 'deepseek-flash', messages, tools });
    const message = completion.choices[0]!.message;
    // Not in the openai types; DeepSeek rejects the next request (400) if it is not sent back.
    const reasoning = (message as { reasoning_content?: string }).reasoning_content ?? '';
    messages.push({
      role: 'assistant',
      content: message.content,
      tool_calls: message.tool_calls,
      reasoning_content: reasoning,
    } as OpenAI.Chat.ChatCompletionAssistantMessageParam);
    if (!message.tool_calls?.length) {
      console.log(message.content);
      break;
    }
    for (const call of message.tool_calls) {
      if (call.type !== 'function') continue;
      let content: string;
      try {
        const { city } = JSON.parse(call.function.arguments) as { city: string }; // unvalidated
        content = JSON.stringify(await lookUpWeather(city, AbortSignal.timeout(10_000)));
      } catch (error) {
        content = `Error: ${(error as Error).message}`;
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  // #endregion
});
