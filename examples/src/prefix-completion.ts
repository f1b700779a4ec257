/**
 * Chat prefix completion (beta): the last message is the start of the assistant's answer
 * (`prefix: true`) and the model continues it. Here the prefix opens a code block and `stop`
 * closes it, so the answer is only code. The client sends it to the beta base URL by itself.
 *   pnpm example prefix-completion
 */
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({
    script: [
      {
        content:
          'def is_leap(year: int) -> bool:\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n```',
      },
    ],
  });

  // #region prefix
  const completion = await client.chat.completions.create({
    model: 'deepseek-flash',
    thinking: { type: 'disabled' },
    messages: [
      { role: 'user', content: 'Write a Python function is_leap(year) that tells leap years.' },
      { role: 'assistant', content: '```python\n', prefix: true },
    ],
    stop: ['```'],
  });

  // The answer holds only the continuation of the prefix.
  console.log(completion.choices[0]?.message.content?.trimEnd());
  // #endregion
});
