/**
 * Streaming a chat completion in thinking mode: the reasoning (reasoning_content) is printed
 * apart from the answer (content), then the assembled completion gives the usage.
 *   pnpm example stream
 */
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, dim, write } from './lib/terminal.js';

run(async () => {
  const { client } = await connect({
    script: [
      {
        reasoning:
          '3599 is odd and its digits add up to 26, so neither 2 nor 3 divide it. It is 3600 - 1 = 60² - 1² = (60 - 1)(60 + 1) = 59 × 61.',
        content: 'No. 3599 = 59 × 61, because 3599 = 60² − 1 and a difference of squares factors.',
      },
    ],
  });

  // #region stream
  const stream = client.chat.completions.stream({
    model: 'deepseek-flash', // thinking mode is the default
    messages: [{ role: 'user', content: 'Is 3599 a prime number? Answer in one sentence.' }],
  });

  let section: 'reasoning' | 'answer' | undefined;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.reasoning_content) {
      if (section !== 'reasoning') write(bold('thinking\n'));
      section = 'reasoning';
      write(dim(delta.reasoning_content));
    }
    if (delta?.content) {
      if (section !== 'answer') write(bold('\n\nanswer\n'));
      section = 'answer';
      write(delta.content);
    }
  }

  const completion = await stream.finalCompletion(); // assembled from the chunks already read
  const usage = completion.usage;
  console.log(
    `\n\n${usage?.completion_tokens} output tokens, ${usage?.completion_tokens_details?.reasoning_tokens ?? 0} of them reasoning`,
  );
  // #endregion
});
