import { costOf, DeepSeek } from '@plumb/core';

const client = new DeepSeek(); // reads DEEPSEEK_API_KEY

const completion = await client.chat.completions.create({
  model: 'deepseek-flash',
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(completion.choices[0]?.message.content, costOf(completion.usage!, 'deepseek-flash').total);

const stream = client.chat.completions.stream({
  model: 'deepseek-flash',
  messages: [{ role: 'user', content: 'Count to 5' }],
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
const final = await stream.finalCompletion(); // full reasoning_content, tool calls, usage
console.log(`\n${final.usage?.completion_tokens_details?.reasoning_tokens} reasoning tokens`);
