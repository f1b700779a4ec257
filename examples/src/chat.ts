/**
 * One chat completion: send messages, print the answer and the token usage.
 *   pnpm example chat
 */
import { cacheHitRatio } from '@plumb/core';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({
    script: [{ content: 'Tides come from the Moon’s gravity pulling on the oceans as the Earth turns.' }],
  });

  // #region create
  const completion = await client.chat.completions.create({
    model: 'deepseek-flash',
    thinking: { type: 'disabled' }, // thinking is on by default; off gives a quick, cheap answer
    messages: [
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'What causes ocean tides?' },
    ],
  });

  const choice = completion.choices[0];
  console.log(choice?.message.content);
  console.log('finish reason:', choice?.finish_reason);

  const usage = completion.usage;
  if (usage) {
    console.log(
      `tokens: ${usage.prompt_tokens} in (${usage.prompt_cache_hit_tokens ?? 0} from cache), ${usage.completion_tokens} out`,
    );
    console.log(`cache hit ratio: ${(cacheHitRatio(usage) * 100).toFixed(0)}%`);
  }
  // #endregion
});
