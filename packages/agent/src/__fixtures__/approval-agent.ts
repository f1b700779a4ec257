import type { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { Agent } from '../index.js';

/**
 * The agent of the approval tests, built the same way in the test process and in the resume
 * worker (a resumed run needs the same tools). `deleted` records what `delete_file` removed.
 */
export function approvalAgent(client: DeepSeek, deleted: string[] = []) {
  const listFiles = tool({
    name: 'list_files',
    description: 'Lists the temp files',
    parameters: z.object({}),
    execute: () => ['a.tmp', 'b.tmp'],
  });
  const deleteFile = tool({
    name: 'delete_file',
    description: 'Deletes a file',
    parameters: z.object({ path: z.string() }),
    needsApproval: true,
    execute: ({ path }) => {
      deleted.push(path);
      return `deleted ${path}`;
    },
  });
  const readFile = tool({
    name: 'read_file',
    description: 'Reads a file',
    parameters: z.object({ path: z.string() }),
    needsApproval: ({ path }) => path.startsWith('/etc/'),
    execute: ({ path }) => `contents of ${path}`,
  });
  return new Agent({
    client,
    instructions: 'You clean up temp files. Ask before deleting.',
    tools: [listFiles, deleteFile, readFile],
  });
}
