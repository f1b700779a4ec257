import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSessionStore, SessionStoreError, sqliteSessionStore } from './index.js';
import { describeStoreContract } from './store-contract.js';
import { sqliteSkipReason } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(sqliteSkipReason !== undefined)(
  `sqliteSessionStore${sqliteSkipReason ? ` (skipped: ${sqliteSkipReason})` : ''}`,
  () => {
    describeStoreContract('sqliteSessionStore', () => sqliteSessionStore({ path: join(dir, 'contract.db') }));

    it('keeps sessions in its file across opens (a restart)', async () => {
      const path = join(dir, 'nested', 'restart.db');
      const first = await sqliteSessionStore({ path });
      await first.commit({
        id: 'a',
        userId: 'u1',
        expectedRevision: 0,
        expectedLength: 0,
        from: 0,
        messages: ['{"role":"user","content":"hi"}'],
        state: undefined,
      });
      await first.close?.();
      const second = await openSessionStore(path);
      expect(await second.load('a')).toMatchObject({
        userId: 'u1',
        revision: 1,
        messages: ['{"role":"user","content":"hi"}'],
      });
      await second.close?.();
    });

    it('rejects bad options with a SessionStoreError naming the field', async () => {
      await expect(sqliteSessionStore({ path: '' })).rejects.toThrow(SessionStoreError);
      await expect(sqliteSessionStore({ busyTimeoutMs: -1 })).rejects.toThrow(/busyTimeoutMs/);
    });
  },
);
