import { describe, expect, it } from 'vitest';
import { openSessionStore, postgresSessionStore, SessionStoreError } from './index.js';
import { describeStoreContract } from './store-contract.js';
import { postgresSkipReason, usePostgres } from './test-helpers.js';

describe.skipIf(postgresSkipReason !== undefined)(
  `postgresSessionStore${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ''}`,
  () => {
    const pg = usePostgres('contract');

    describeStoreContract('postgresSessionStore', () => postgresSessionStore({ connectionString: pg.url() }));

    it('opens from a postgres:// URL, and two stores on one database see the same sessions', async () => {
      const a = await openSessionStore(pg.url());
      const b = await postgresSessionStore({ connectionString: pg.url() });
      await a.commit({
        id: 'shared',
        userId: undefined,
        expectedRevision: 0,
        expectedLength: 0,
        from: 0,
        messages: ['{"role":"user","content":"hi"}'],
        state: undefined,
      });
      expect((await b.load('shared'))?.messages).toEqual(['{"role":"user","content":"hi"}']);
      await a.close?.();
      await b.close?.();
    });

    it('rejects a missing connection string with a SessionStoreError', async () => {
      await expect(postgresSessionStore({})).rejects.toThrow(SessionStoreError);
    });
  },
);
