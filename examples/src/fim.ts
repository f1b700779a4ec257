/**
 * FIM (fill in the middle) code completion: the model writes what goes between a prefix and a
 * suffix. FIM runs on the beta base URL; the client sends it there by itself.
 *   pnpm example fim
 */
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, green } from './lib/terminal.js';

run(async () => {
  const { client } = await connect({
    script: [{ content: '    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)' }],
  });

  // #region fim
  const prompt = 'def fib(n: int) -> int:\n    """The n-th Fibonacci number."""\n';
  const suffix = '\n\nprint(fib(10))\n';

  const completion = await client.completions.create({
    model: 'deepseek-flash',
    prompt,
    suffix,
    max_tokens: 128,
  });

  const middle = completion.choices[0]?.text ?? '';
  console.log(bold('completed code:'));
  console.log(prompt + green(middle) + suffix);
  console.log(
    `finish reason: ${completion.choices[0]?.finish_reason}, ${completion.usage?.completion_tokens} tokens`,
  );
  // #endregion
});
