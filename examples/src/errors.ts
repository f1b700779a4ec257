/**
 * Errors and retries: a failed attempt that is retried by itself, a typed API error that is
 * not, and a request caught locally before it is sent.
 *   pnpm example errors
 */
import {
  APIError,
  BadRequestError,
  InsufficientBalanceError,
  PreflightError,
  RateLimitError,
} from '@plumb/core';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    script: [
      // Offline, the first attempt gets DeepSeek's 503 "server overloaded"; the client retries it.
      { fault: { status: 503, headers: { 'retry-after-ms': '10' } } },
      { content: 'Hello again.' },
    ],
  });

  // #region retries
  const { data, timing, requestId } = await client.chat.completions
    .create(
      {
        model: 'deepseek-flash',
        thinking: { type: 'disabled' },
        messages: [{ role: 'user', content: 'Say hello in two words.' }],
      },
      { maxRetries: 3, timeout: 60_000 }, // per-request overrides of the client's settings
    )
    .withResponse();
  console.log(data.choices[0]?.message.content);
  console.log(`attempts: ${timing.attempts}, request id: ${requestId}`);
  // #endregion

  // #region api-errors
  try {
    await client.chat.completions.create(
      {
        model: 'deepseek-v9-ultra', // no such model: DeepSeek answers 400 naming the supported models
        messages: [{ role: 'user', content: 'Hello' }],
      },
      { preflight: false }, // skip plumb's own checks, to see DeepSeek's answer
    );
  } catch (error) {
    if (error instanceof BadRequestError) {
      console.log(`400, not retried: ${error.serverMessage} (request id ${error.requestId})`);
    } else if (error instanceof InsufficientBalanceError) {
      console.log('402: top up your balance at https://platform.deepseek.com');
    } else if (error instanceof RateLimitError) {
      console.log('429 after every retry: lower the number of requests you run at once');
    } else if (APIError.isInstance(error)) {
      console.log(`${error.status}: ${error.message}`);
    } else {
      throw error;
    }
  }
  // #endregion

  // #region model-ids
  try {
    await client.chat.completions.create({
      model: 'deepseek-chat', // retired by DeepSeek on 2026-07-24
      messages: [{ role: 'user', content: 'Hello' }],
    });
  } catch (error) {
    if (error instanceof PreflightError) console.log(`caught before sending (${error.rule})`);
    else throw error;
  }
  // #endregion

  // #region preflight
  try {
    await client.chat.completions.create({
      model: 'deepseek-flash', // thinking mode (the default) does not allow a forced tool call
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [getWeather.definition],
      tool_choice: 'required',
    });
  } catch (error) {
    if (error instanceof PreflightError)
      console.log(`caught before sending (${error.rule}): ${error.message}`);
    else throw error;
  }
  // #endregion
});
