import type { Turn } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, clearToolResults, MemorySessionStore, readSession } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

const fetchPage = tool({
  name: 'fetch_page',
  description: 'Fetches one page',
  parameters: z.object({ page: z.number() }),
  execute: async ({ page }) => `page ${page}: ${'lorem ipsum '.repeat(100)}`,
});

const call = (page: number): Turn => ({
  reasoning: `Fetch page ${page}.`,
  toolCalls: [{ name: 'fetch_page', arguments: { page } }],
});

describe('a session whose run compacts', () => {
  it('saves the rewritten history: messages before the first change are kept, the rest replaced', async () => {
    const emulator = await emulate({
      script: [
        call(0),
        call(1),
        { content: 'Fetched 2 pages.' },
        ...Array.from({ length: 10 }, (_, i) => call(i + 2)),
        { content: 'Fetched 10 more.' },
      ],
    });
    const store = new MemorySessionStore();
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage],
      maxSteps: 20,
      context: { trigger: { tokens: 3000 }, strategies: [clearToolResults({ keepLast: 2 })] },
    });
    const session = { store, id: 'crawl' };

    const first = await agent.run('Fetch two pages.', { session });
    const second = await agent.run('Fetch ten more.', { session });

    const compactions = second.compactions ?? [];
    expect(compactions.length).toBeGreaterThan(0);
    // The first compaction rewrote messages the first run had saved.
    expect(compactions[0]?.from).toBeLessThan(first.messages.length);
    const stored = await store.load('crawl');
    expect(stored?.revision).toBe(2);
    expect(stored?.messages).toEqual(second.messages.map((message) => JSON.stringify(message)));
    const snapshot = await readSession(store, 'crawl');
    expect(
      snapshot?.messages.filter((message) => String(message.content).startsWith('[result cleared')).length,
    ).toBeGreaterThan(0);
    expect(snapshot?.turns).toHaveLength(2);
    emulator.assertDone();
  });
});
