import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from './tool.js';

// Real DeepSeek captures live in the monorepo's shared folder, which users' clones do not have.
const wire = new URL('../../../../shared/fixtures/deepseek-wire/', import.meta.url);
const available = existsSync(fileURLToPath(wire));

const weather = tool({
  name: 'weather',
  description: 'Weather for a location',
  parameters: z.object({ location: z.string() }),
  execute: ({ location }) => ({ location, celsius: 18 }),
});

interface Chunk {
  choices: {
    delta: { tool_calls?: { function?: { arguments?: string } }[] };
    finish_reason: string | null;
  }[];
}

describe.skipIf(!available)(
  'captured DeepSeek tool calls (needs ../shared/fixtures, absent in clones)',
  () => {
    it.each(['deepseek-tool-call.json', 'pr18943-v4flash-deepseek-tool-call.json'])(
      'runs the call in %s',
      async (file) => {
        const completion = JSON.parse(readFileSync(new URL(file, wire), 'utf8'));
        const choice = completion.choices[0];
        const outcome = await weather.invoke(choice.message.tool_calls[0], {
          finishReason: choice.finish_reason,
        });
        expect(outcome).toEqual({
          ok: true,
          content: '{"location":"San Francisco","celsius":18}',
          value: { location: 'San Francisco', celsius: 18 },
        });
      },
    );

    it.each(['deepseek-tool-call.chunks.txt', 'pr18943-v4flash-deepseek-tool-call.chunks.txt'])(
      'never runs a partial argument stream from %s',
      async (file) => {
        const fragments: string[] = [];
        for (const line of readFileSync(new URL(file, wire), 'utf8').split('\n')) {
          if (line.trim() === '' || line.trim() === '[DONE]') continue;
          const chunk = JSON.parse(line) as Chunk;
          for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
            fragments.push(call.function?.arguments ?? '');
        }
        const full = fragments.join('');
        expect(await weather.parseArguments(full)).toMatchObject({
          ok: true,
          args: { location: 'San Francisco' },
        });
        for (let end = 0; end < fragments.length - 1; end++) {
          const partial = fragments.slice(0, end + 1).join('');
          if (partial === full) continue;
          const result = await weather.parseArguments(partial);
          expect(result.ok, `prefix ${JSON.stringify(partial)}`).toBe(false);
        }
      },
    );
  },
);
