/**
 * Images: upload one with the Files API, ask deepseek-flash about it, let a tool return one, and
 * see the pre-flight error for the text-only deepseek-v4-pro.
 *   pnpm example images
 */
import { Agent } from '@plumb/agent';
import { imageFromBytes, imageFromFileId, MAX_IMAGE_TOKENS, PreflightError } from '@plumb/core';
import { ToolResultContent, tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { RED_SQUARE_PNG } from './lib/red-square.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({
    script: [
      { content: 'A small red square on a plain background.' },
      { toolCalls: [{ name: 'take_screenshot', arguments: {} }] },
      { content: 'The screen shows a red square.' },
    ],
  });

  // #region upload
  const file = await client.files.create({
    file: new Blob([RED_SQUARE_PNG]), // also a path ('chart.png'), bytes, or a stream
    purpose: 'user_data',
    expires_after: { anchor: 'created_at', seconds: 3600 }, // deleted by DeepSeek after an hour
  });
  console.log(`uploaded ${file.filename} (${file.bytes} bytes) as ${file.id}`);
  // #endregion

  // #region ask
  const completion = await client.chat.completions.create({
    model: 'deepseek-flash', // the model that reads images; deepseek-v4-pro is text-only
    thinking: { type: 'disabled' },
    messages: [
      {
        role: 'user',
        content: [imageFromFileId(file.id), { type: 'text', text: 'What is in this image?' }],
      },
    ],
  });
  console.log(completion.choices[0]?.message.content);
  console.log(
    `prompt tokens: ${completion.usage?.prompt_tokens} (an image costs at most ${MAX_IMAGE_TOKENS})`,
  );
  // #endregion

  // #region tool-image
  const takeScreenshot = tool({
    name: 'take_screenshot',
    description: 'A screenshot of the screen',
    parameters: z.object({}),
    // Parts instead of a string: the tool message carries the image itself, not its bytes as text.
    execute: async () =>
      new ToolResultContent([
        { type: 'text', text: 'The screen:' },
        imageFromBytes(RED_SQUARE_PNG, { detail: 'low' }),
      ]),
  });
  const agent = new Agent({ client, model: 'deepseek-flash', tools: [takeScreenshot] });
  const result = await agent.run('What is on the screen?');
  console.log(`agent: ${result.text}`);
  // #endregion

  // #region text-only
  try {
    await client.chat.completions.create({
      model: 'deepseek-v4-pro',
      messages: [
        { role: 'user', content: [imageFromBytes(RED_SQUARE_PNG), { type: 'text', text: 'Describe it' }] },
      ],
    });
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    console.log(`caught before sending (${error.rule}): ${error.message}`);
  }
  // #endregion

  // #region delete
  await client.files.delete(file.id);
  for await (const left of client.files.listAll()) console.log(`still stored: ${left.id}`);
  // #endregion
});
