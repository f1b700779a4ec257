import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  type AgentEvent,
  forkSession,
  MemorySessionStore,
  readSession,
  SessionConflictError,
  SessionError,
} from '../index.js';
import { chatRequests, clientFor, emulate, rawMessages, weatherTool } from '../test-helpers.js';

const weatherTurn = {
  reasoning: 'Need the weather.',
  toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
};

describe('agent.run(input, { session })', () => {
  it('continues a stored conversation: the next request starts with the stored history byte for byte and hits the cache', async () => {
    const emulator = await emulate({
      script: [weatherTurn, { content: 'Paris: 21C.' }, { content: 'Same tomorrow.' }],
    });
    const store = new MemorySessionStore();
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: 'Be brief.',
      tools: [weatherTool()],
    });
    const session = { store, id: 'chat-1' };

    const first = await agent.run('Weather in Paris?', { session });
    const second = await agent.run('And tomorrow?', { session });

    expect(first.text).toBe('Paris: 21C.');
    expect(second.text).toBe('Same tomorrow.');
    const [, last, next] = chatRequests(emulator);
    const stored = JSON.stringify(first.messages);
    // The second run's request = the first run's final history (bytes), then the new user message.
    expect(rawMessages(next as never).startsWith(stored.slice(0, -1))).toBe(true);
    expect(next?.body.messages.at(-1)).toEqual({ role: 'user', content: 'And tomorrow?' });
    expect(second.steps[0]?.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
    expect(last?.status).toBe(200);
    const snapshot = await readSession(store, 'chat-1');
    expect(snapshot?.messages).toEqual(second.messages);
    expect(snapshot?.turns).toEqual([1, 5]);
    expect(snapshot?.revision).toBe(2);
    expect((await store.load('chat-1'))?.messages).toEqual(
      second.messages.map((message) => JSON.stringify(message)),
    );
    emulator.assertDone();
  });

  it("sends the session's user id as DeepSeek's user_id, and keeps other users out", async () => {
    const emulator = await emulate({ script: [{ content: 'Hi Ann.' }] });
    const store = new MemorySessionStore();
    const agent = new Agent({ client: clientFor(emulator), userId: 'agent_default' });

    await agent.run('Hi', { session: { store, id: 's', userId: 'ann_42' } });

    expect(chatRequests(emulator)[0]?.body.user_id).toBe('ann_42');
    await expect(agent.run('Hi', { session: { store, id: 's', userId: 'bob' } })).rejects.toMatchObject({
      name: 'SessionError',
      field: 'session.userId',
    });
    await expect(agent.run('Hi', { session: { store, id: 's' } })).rejects.toBeInstanceOf(SessionError);
    await expect(readSession(store, 's', { userId: 'bob' })).rejects.toBeInstanceOf(SessionError);
    expect((await store.list({ userId: 'ann_42' })).map((entry) => entry.id)).toEqual(['s']);
    await expect(agent.run('Hi', { session: { store, id: 's', userId: 'ann 42' } })).rejects.toThrow(
      /session\.userId.*letters, digits/,
    );
    await expect(agent.run('Hi', { session: { store: {} as never, id: 's' } })).rejects.toThrow(
      /session\.store/,
    );
    await expect(agent.run('Hi', { userId: 'bad id!' })).rejects.toThrow(/userId/);
    expect(chatRequests(emulator)).toHaveLength(1);
  });

  it("saves a paused run's RunState with the session and resumes it from the store", async () => {
    const deleted: string[] = [];
    const remove = tool({
      name: 'delete_file',
      description: 'Deletes a file',
      parameters: z.object({ path: z.string() }),
      needsApproval: true,
      execute: async ({ path }) => {
        deleted.push(path);
        return 'deleted';
      },
    });
    const emulator = await emulate({
      script: [
        { reasoning: 'Delete it.', toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/x' } }] },
        { content: 'Done.' },
      ],
    });
    const store = new MemorySessionStore();
    const agent = new Agent({ client: clientFor(emulator), tools: [remove] });
    const session = { store, id: 'ops' };

    const paused = await agent.run('Delete /tmp/x', { session });
    expect(paused.finishReason).toBe('interrupted');
    expect((await store.list())[0]?.paused).toBe(true);
    await expect(agent.run('something else', { session })).rejects.toMatchObject({ field: 'state' });

    // Later, maybe in another process: read the paused run back, approve, resume.
    const { state } = (await readSession(store, 'ops')) ?? {};
    if (state === undefined) throw new Error('no paused state stored');
    state.approve(state.interruptions[0]?.id ?? '');
    const done = await agent.run(state, { session });

    expect(done.text).toBe('Done.');
    expect(deleted).toEqual(['/tmp/x']);
    const stored = await readSession(store, 'ops');
    expect(stored?.state).toBeUndefined();
    expect(stored?.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    await expect(agent.run(state, { session })).rejects.toMatchObject({ field: 'state' });
    emulator.assertDone();
  });

  it('signs the stored paused state with stateSecret and refuses an edited one', async () => {
    const remove = tool({
      name: 'delete_file',
      description: 'Deletes a file',
      parameters: z.object({ path: z.string() }),
      needsApproval: true,
      execute: async () => 'deleted',
    });
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/x' } }] }, { content: 'Done.' }],
    });
    const store = new MemorySessionStore();
    const stateSecret = 'a-test-secret-of-at-least-32-bytes!!';
    const agent = new Agent({ client: clientFor(emulator), tools: [remove] });
    const session = { store, id: 'signed', stateSecret };
    await agent.run('Delete /tmp/x', { session });

    const stored = await store.load('signed');
    expect(stored?.state).toBeDefined();
    await expect(readSession(store, 'signed')).rejects.toMatchObject({ field: 'state' }); // signed: needs the secret
    const intact = await readSession(store, 'signed', { stateSecret });
    expect(intact?.state?.interruptions.map((call) => call.args)).toEqual([{ path: '/tmp/x' }]);
    expect(stored?.state).toContain('/tmp/x');
    // Someone edits the pending call's arguments in the database: refused.
    await store.commit({
      id: 'signed',
      userId: undefined,
      expectedRevision: stored?.revision ?? 0,
      expectedLength: stored?.messages.length ?? 0,
      from: stored?.messages.length ?? 0,
      messages: [],
      state: stored?.state?.replace('/tmp/x', '/etc/passwd'),
    });
    await expect(readSession(store, 'signed', { stateSecret })).rejects.toMatchObject({
      name: 'SessionError',
      field: 'state',
    });
  });

  it('lets only one of two overlapping runs save; the other gets a SessionConflictError holding its result', async () => {
    const emulator = await emulate({ script: () => ({ content: 'ok' }) });
    const store = new MemorySessionStore();
    const agent = new Agent({ client: clientFor(emulator) });
    const session = { store, id: 'race' };
    await agent.run('first', { session });

    const outcomes = await Promise.allSettled([agent.run('A', { session }), agent.run('B', { session })]);

    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = (lost[0] as PromiseRejectedResult).reason as SessionConflictError;
    expect(error).toBeInstanceOf(SessionConflictError);
    expect(error.result?.text).toBe('ok');
    const users = (await readSession(store, 'race'))?.messages.filter((message) => message.role === 'user');
    expect(users).toHaveLength(2);
    // Running again after the conflict continues from the newer history.
    await agent.run('C', { session });
    expect(
      (await readSession(store, 'race'))?.messages.filter((message) => message.role === 'user'),
    ).toHaveLength(3);
  });

  it('agent.stream(input, { session }) streams the run and ends once the session is saved', async () => {
    const emulator = await emulate({ script: [weatherTurn, { content: 'Paris: 21C.' }] });
    const store = new MemorySessionStore();
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const stream = agent.stream('Weather?', { session: { store, id: 'live' } });
    const types: string[] = [];
    let savedAtEnd = -1;
    for await (const event of stream as AsyncIterable<AgentEvent>) {
      types.push(event.type);
      if (event.type === 'end') savedAtEnd = (await store.load('live'))?.messages.length ?? -1;
    }
    const result = await stream.result;
    expect(types).toContain('tool-result');
    expect(types.at(-1)).toBe('end');
    expect(savedAtEnd).toBe(result.messages.length);
  });

  it('forks a conversation at a turn, byte for byte, and deletes sessions', async () => {
    const emulator = await emulate({ script: () => ({ content: 'ok' }) });
    const store = new MemorySessionStore();
    const agent = new Agent({ client: clientFor(emulator), instructions: 'Sys.' });
    const session = { store, id: 'main' };
    await agent.run('one', { session });
    await agent.run('two', { session });
    await agent.run('three', { session });

    const branch = await forkSession(store, 'main', { to: 'branch', turn: 2 });
    expect(branch.messages.map((message) => message.content)).toEqual(['Sys.', 'one', 'ok', 'two', 'ok']);
    expect((await store.load('branch'))?.messages).toEqual((await store.load('main'))?.messages.slice(0, 5));
    await agent.run('other three', { session: { store, id: 'branch' } });
    expect((await readSession(store, 'main'))?.messages).toHaveLength(7);
    await expect(forkSession(store, 'main', { to: 'branch' })).rejects.toBeInstanceOf(SessionConflictError);
    await expect(forkSession(store, 'main', { to: 'x', turn: 9 })).rejects.toThrow(/turn.*0 to 3/);
    await expect(forkSession(store, 'nope', { to: 'y' })).rejects.toThrow(/does not exist/);
    expect((await store.list()).map((entry) => entry.id).sort()).toEqual(['branch', 'main']);
    expect(await store.delete('branch')).toBe(true);
    expect(await readSession(store, 'branch')).toBeUndefined();
  });

  it('names the corrupt field of a tampered session instead of sending it', async () => {
    const emulator = await emulate({ script: [] });
    const store = new MemorySessionStore();
    await store.commit({
      id: 'bad',
      userId: undefined,
      expectedRevision: 0,
      expectedLength: 0,
      from: 0,
      messages: ['{"role":"user","content":"hi"}', '{"role":"hacker"}'],
      state: undefined,
    });
    const agent = new Agent({ client: clientFor(emulator) });
    await expect(agent.run('next', { session: { store, id: 'bad' } })).rejects.toMatchObject({
      name: 'SessionError',
      field: 'messages[1]',
    });
    expect(chatRequests(emulator)).toHaveLength(0);
  });
});
