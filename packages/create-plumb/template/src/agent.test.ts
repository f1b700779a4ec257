// Tests against the DeepSeek emulator: a real HTTP server on 127.0.0.1, no network, no key.
import { DeepSeek } from '@plumb/core';
import { type Emulator, startEmulator } from '@plumb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, turns } from './agent.js';
import { NotesStore, notesPack } from './tools/notes-pack.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
});

function clientFor(server: Emulator) {
  return new DeepSeek({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
}

describe('the agent', () => {
  it('saves a note with the notes pack and confirms', async () => {
    emulator = await startEmulator({ script: turns });
    const result = await createAgent({ client: clientFor(emulator) }).run('buy oat milk');
    expect(result.finishReason).toBe('stop');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ name: 'notes_add', status: 'ok' });
    expect(result.text).toBe('Saved: {"id":1,"text":"buy oat milk"}');
    expect(result.cost).toBeDefined();
  });

  it('the pack searches what it saved', async () => {
    const store = new NotesStore();
    store.add('Call the plumber on Monday');
    emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'notes_search', arguments: { query: 'plumber' } }] },
        { content: 'Monday.' },
      ],
    });
    const { Agent } = await import('@plumb/agent');
    const agent = new Agent({ client: clientFor(emulator), tools: [notesPack(store)] });
    const result = await agent.run('When is the plumber coming?');
    expect(result.steps[0]?.toolCalls[0]?.result).toEqual([{ id: 1, text: 'Call the plumber on Monday' }]);
    expect(result.text).toBe('Monday.');
  });
});
