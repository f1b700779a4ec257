import { type ApprovalContext, tool, toolPack } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

describe('needsApproval in a prefixed pack', () => {
  it("gets the tool's own name: a check on 'write_file' holds the prefixed fs_write_file call", async () => {
    const seen: ApprovalContext[] = [];
    const written: string[] = [];
    const files = toolPack({
      name: 'fs',
      description: 'Files',
      prefix: true,
      needsApproval: (_args, context) => {
        seen.push(context);
        return context.baseName === 'write_file';
      },
      tools: [
        tool({
          name: 'write_file',
          description: 'Writes a file',
          parameters: z.object({ path: z.string() }),
          execute: ({ path }) => {
            written.push(path);
            return 'ok';
          },
        }),
        tool({
          name: 'read_file',
          description: 'Reads',
          parameters: z.object({ path: z.string() }),
          execute: () => 'text',
        }),
      ],
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'fs_read_file', arguments: { path: 'a' }, id: 'call_00_r' },
            { name: 'fs_write_file', arguments: { path: 'b' }, id: 'call_01_w' },
          ],
        },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [files] }).run('Copy a to b', {
      data: { user: 'u1' },
    });
    expect(result.finishReason).toBe('interrupted');
    expect(result.interruptions.map((call) => call.name)).toEqual(['fs_write_file']);
    expect(written).toEqual([]);
    const write = seen.find((context) => context.callId === 'call_01_w');
    expect(write).toMatchObject({
      toolName: 'fs_write_file',
      baseName: 'write_file',
      packName: 'fs',
      runId: result.runId,
      data: { user: 'u1' },
    });
    expect(write?.signal).toBeInstanceOf(AbortSignal);
  });
});
