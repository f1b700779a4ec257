import { SessionConflictError, type SessionStore, type SessionWrite } from '@plumb/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Test-only: the behaviour every SessionStore must have, run against one store kind. */

const userText = (n: number) => `{"role":"user","content":"message ${n} é 中文 \\u0000"}`;

function write(id: string, over: Partial<SessionWrite> = {}): SessionWrite {
  return {
    id,
    userId: undefined,
    expectedRevision: 0,
    expectedLength: 0,
    from: 0,
    messages: [userText(0)],
    state: undefined,
    ...over,
  };
}

export function describeStoreContract(name: string, open: () => Promise<SessionStore>): void {
  describe(`${name}: the SessionStore contract`, () => {
    let store: SessionStore;
    let seq = 0;
    const fresh = () => `s-${name.replace(/\W/g, '')}-${Date.now()}-${seq++}`;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close?.();
    });

    it('loads nothing for an unknown id', async () => {
      expect(await store.load(fresh())).toBeUndefined();
    });

    it('keeps each message text byte for byte, in order, and bumps the revision per commit', async () => {
      const id = fresh();
      const texts = [
        '{"role":"system","content":"Be brief."}',
        userText(1),
        '{"role":"assistant","content":"","reasoning_content":"think \\"hard\\"","tool_calls":[{"id":"call_00_x","type":"function","function":{"name":"f","arguments":"{\\"a\\": 1}"}}]}',
        '{"role":"tool","tool_call_id":"call_00_x","content":"  spaced  "}',
      ];
      expect(await store.commit(write(id, { messages: texts.slice(0, 2) }))).toBe(1);
      expect(
        await store.commit(
          write(id, { expectedRevision: 1, expectedLength: 2, from: 2, messages: texts.slice(2) }),
        ),
      ).toBe(2);
      const loaded = await store.load(id);
      expect(loaded?.messages).toEqual(texts);
      expect(loaded?.revision).toBe(2);
      expect(loaded?.state).toBeUndefined();
      expect(loaded?.createdAt).toBeInstanceOf(Date);
    });

    it('refuses a stale revision or length with a SessionConflictError and writes nothing', async () => {
      const id = fresh();
      await store.commit(write(id));
      const stale = store.commit(write(id, { messages: [userText(9)] }));
      await expect(stale).rejects.toBeInstanceOf(SessionConflictError);
      await expect(stale).rejects.toMatchObject({ sessionId: id, expectedRevision: 0, actualRevision: 1 });
      await expect(
        store.commit(write(id, { expectedRevision: 1, expectedLength: 5, from: 1, messages: [userText(2)] })),
      ).rejects.toBeInstanceOf(SessionConflictError);
      expect((await store.load(id))?.messages).toEqual([userText(0)]);
      await expect(
        store.commit(write(fresh(), { expectedRevision: 3, expectedLength: 1 })),
      ).rejects.toMatchObject({ actualRevision: undefined });
    });

    it('replaces the messages from `from` on (a compaction) and keeps the ones before', async () => {
      const id = fresh();
      await store.commit(write(id, { messages: [userText(0), userText(1), userText(2), userText(3)] }));
      await store.commit(
        write(id, { expectedRevision: 1, expectedLength: 4, from: 1, messages: [userText(7)] }),
      );
      expect((await store.load(id))?.messages).toEqual([userText(0), userText(7)]);
      await expect(
        store.commit(write(id, { expectedRevision: 2, expectedLength: 2, from: 3, messages: [] })),
      ).rejects.toThrow(/`from` must be an integer from 0 to 2/);
    });

    it('stores a paused state with the session and clears it', async () => {
      const id = fresh();
      await store.commit(write(id, { state: '{"version":1}' }));
      expect((await store.load(id))?.state).toBe('{"version":1}');
      expect((await store.list({ limit: 1000 })).find((entry) => entry.id === id)?.paused).toBe(true);
      await store.commit(write(id, { expectedRevision: 1, expectedLength: 1, from: 1, messages: [] }));
      expect((await store.load(id))?.state).toBeUndefined();
    });

    it('keeps the user id set at creation, lists by user, newest first, and deletes', async () => {
      const user = `u_${seq++}_${Date.now()}`;
      const a = fresh();
      const b = fresh();
      await store.commit(write(a, { userId: user }));
      await store.commit(write(b, { userId: user }));
      await store.commit(
        write(a, {
          userId: 'someone_else',
          expectedRevision: 1,
          expectedLength: 1,
          from: 1,
          messages: [userText(1)],
        }),
      );
      expect((await store.load(a))?.userId).toBe(user);
      const listed = await store.list({ userId: user });
      expect(listed.map((entry) => entry.id)).toEqual([a, b]);
      expect(listed[0]).toMatchObject({ userId: user, length: 2, revision: 2, paused: false });
      expect(await store.list({ userId: user, limit: 1 })).toHaveLength(1);
      expect(await store.delete(a)).toBe(true);
      expect(await store.delete(a)).toBe(false);
      expect(await store.load(a)).toBeUndefined();
      expect((await store.list({ userId: user })).map((entry) => entry.id)).toEqual([b]);
    });

    it('lets exactly one of many concurrent writers with the same expectation win', async () => {
      const id = fresh();
      await store.commit(write(id));
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.commit(
            write(id, { expectedRevision: 1, expectedLength: 1, from: 1, messages: [userText(10 + i)] }),
          ),
        ),
      );
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      const losers = attempts.filter((attempt) => attempt.status === 'rejected');
      expect(losers.every((loser) => loser.reason instanceof SessionConflictError)).toBe(true);
      expect((await store.load(id))?.messages).toHaveLength(2);
    });
  });
}
