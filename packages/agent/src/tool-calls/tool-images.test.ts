import { imageFromBytes, PreflightError } from '@plumb/core';
import { ToolResultContent, tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { chatRequests, clientFor, emulate } from '../test-helpers.js';

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
  (char) => char.charCodeAt(0),
);

const screenshot = tool({
  name: 'inspect_image',
  description: 'A screenshot of the dashboard',
  parameters: z.object({}),
  execute: async () =>
    new ToolResultContent([{ type: 'text', text: 'The dashboard:' }, imageFromBytes(PNG, { detail: 'low' })]),
});

describe('tools that return images', () => {
  it('send them as an array-content tool message (the shape of the tool-result-image-array capture), never stringified', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'inspect_image', arguments: {} }] },
        { content: 'ORBIT 7319, cyan frame.' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [screenshot] }).run(
      'Read the code on the dashboard',
    );
    expect(result.text).toBe('ORBIT 7319, cyan frame.');
    const toolMessage = chatRequests(emulator)[1]!.body.messages.at(-1);
    expect(toolMessage).toMatchObject({
      role: 'tool',
      content: [
        { type: 'text', text: 'The dashboard:' },
        {
          type: 'image_url',
          image_url: { url: expect.stringMatching(/^data:image\/png;base64,/), detail: 'low' },
        },
      ],
    });
    // The stringified capture shows what a serialized buffer costs (25,853 prompt tokens); an image part costs at most 384.
    expect(chatRequests(emulator)[1]!.status).toBe(200);
  });

  it('fail before sending on the text-only deepseek-v4-pro', async () => {
    const emulator = await emulate({ script: [{ toolCalls: [{ name: 'inspect_image', arguments: {} }] }] });
    const run = new Agent({ client: clientFor(emulator), model: 'deepseek-v4-pro', tools: [screenshot] }).run(
      'Look',
    );
    const error = await run.catch((caught: unknown) => caught);
    const cause = (error as { cause?: unknown }).cause ?? error;
    expect(cause).toBeInstanceOf(PreflightError);
    expect(cause).toMatchObject({ rule: 'image-on-text-model' });
    expect(chatRequests(emulator)).toHaveLength(1);
  });
});
