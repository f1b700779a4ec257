import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tool } from './tool.js';
import { toolPack } from './tool-pack.js';
import type { ApprovalContext, ToolContext } from './types.js';

describe('the approval context', () => {
  it("gives a prefixed pack's predicate the tool's own name, the prefixed name and the pack", async () => {
    const seen: ApprovalContext[] = [];
    const pack = toolPack({
      name: 'fs',
      description: 'files',
      prefix: true,
      needsApproval: (_args, context) => {
        seen.push(context);
        return context.baseName === 'write_file';
      },
      tools: [
        tool({ name: 'write_file', description: 'd', parameters: z.object({}), execute: () => 'ok' }),
        tool({ name: 'read_file', description: 'd', parameters: z.object({}), execute: () => 'ok' }),
      ],
    });
    const [write, read] = pack.tools;
    expect(write?.name).toBe('fs_write_file');
    expect(write?.baseName).toBe('write_file');
    expect(await write!.requiresApproval({}, { callId: 'c1', data: { user: 'u' }, runId: 'run_1' })).toBe(
      true,
    );
    expect(await read!.requiresApproval({}, { callId: 'c2', data: undefined })).toBe(false);
    expect(seen[0]).toMatchObject({
      callId: 'c1',
      toolName: 'fs_write_file',
      baseName: 'write_file',
      packName: 'fs',
      runId: 'run_1',
      data: { user: 'u' },
    });
  });

  it("a runner cannot pass a misleading toolName: the tool's own names win", async () => {
    let seen: ApprovalContext | undefined;
    const write = tool({
      name: 'write_file',
      description: 'd',
      parameters: z.object({}),
      needsApproval: (_args, context) => {
        seen = context;
        return true;
      },
      execute: () => 'ok',
    });
    await write.requiresApproval({}, { callId: 'c', toolName: 'read_file', data: undefined });
    expect(seen).toMatchObject({ toolName: 'write_file', baseName: 'write_file', packName: undefined });
  });
});

describe('the execute context', () => {
  it('carries the base name, the run id and an idempotency key', async () => {
    let seen: ToolContext | undefined;
    const pack = toolPack({
      name: 'pay',
      description: 'payments',
      prefix: true,
      tools: [
        tool({
          name: 'transfer',
          description: 'd',
          parameters: z.object({}),
          execute: (_args, context) => {
            seen = context;
            return 'ok';
          },
        }),
      ],
    });
    const transfer = pack.tools[0]!;
    await transfer.run({}, { callId: 'call_0', runId: 'run_abc' });
    expect(seen).toMatchObject({
      toolName: 'pay_transfer',
      baseName: 'transfer',
      runId: 'run_abc',
      idempotencyKey: 'run_abc:call_0',
    });
    await transfer.run({}, { callId: 'call_0', idempotencyKey: 'given' });
    expect(seen).toMatchObject({ runId: undefined, idempotencyKey: 'given' });
    await transfer.run({}, { callId: 'call_1' });
    expect(seen?.idempotencyKey).toBe('call_1');
  });
});
