import type { ChatMessage } from '@plumb/core';
import type { RecordedRequest, ScriptContext, Turn } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  type AgentEvent,
  AgentRunError,
  ContextGuardError,
  clearToolResults,
  dropOldestTurns,
  SUMMARY_PREFIX,
  summarizeTurns,
} from '../index.js';
import { chatRequests, clientFor, emulate } from '../test-helpers.js';

const PAGE = 'lorem ipsum dolor sit amet '.repeat(45); // ~1200 characters per tool result

function fetchPage() {
  return tool({
    name: 'fetch_page',
    description: 'Fetches one page of the archive',
    parameters: z.object({ page: z.number() }),
    execute: async ({ page }) => `page ${page}: ${PAGE}`,
  });
}

/** A summary request: the strategy's own call (thinking off, no tools). */
function isSummary(request: RecordedRequest): boolean {
  return request.body.thinking?.type === 'disabled' && request.body.tools === undefined;
}

/**
 * The model: fetches pages 0..pages-1 one per step (thinking on, with reasoning), then answers.
 * Summary requests get a short summary. Counts steps by the tool results of the request.
 */
function crawler(pages: number, summaries: RecordedRequest[]) {
  let step = 0;
  return (request: RecordedRequest, _context: ScriptContext): Turn => {
    if (isSummary(request)) {
      summaries.push(request);
      return {
        content: `Pages fetched so far hold lorem ipsum text; nothing else of note (${summaries.length}).`,
      };
    }
    const n = step++;
    if (n >= pages) return { reasoning: 'Every page is fetched.', content: `All ${pages} pages fetched.` };
    return {
      reasoning: `Step ${n}: page ${n} is next, fetch it and keep going until page ${pages - 1}.`,
      toolCalls: [{ name: 'fetch_page', arguments: { page: n } }],
    };
  };
}

describe('context management against the emulator (replay rule and prompt cache enforced)', () => {
  it('completes a 200-step thinking-mode tool run in a window it would overflow, compacting along the way', async () => {
    const summaries: RecordedRequest[] = [];
    const emulator = await emulate({
      contextWindow: 24_000,
      maxLoggedRequests: 20,
      script: crawler(200, summaries),
    });
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: 'You crawl the archive page by page.',
      tools: [fetchPage()],
      maxSteps: 260,
      maxTokens: 2000,
      context: {
        window: 'models',
        trigger: { fraction: 0.7 },
        strategies: [
          clearToolResults({ keepLast: 4 }),
          summarizeTurns({ keepLast: 6, maxTokens: 400 }),
          dropOldestTurns({ keepLast: 4 }),
        ],
      },
    });

    const result = await agent.run('Fetch every page of the archive.');

    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('All 200 pages fetched.');
    expect(result.steps).toHaveLength(201);
    const reports = result.compactions ?? [];
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.some((report) => report.strategies.includes('clearToolResults'))).toBe(true);
    expect(reports.some((report) => report.strategies.includes('summarizeTurns'))).toBe(true);
    for (const report of reports) {
      expect(report.after.tokens).toBeLessThan(report.before.tokens);
      expect(report.after.tokens).toBeLessThanOrEqual(22_000);
      expect(report.from).toBeGreaterThanOrEqual(2); // system and task stay: the start of the cache
      expect(report.cacheTokensLost).toBeGreaterThanOrEqual(0);
      // Cache-hit ratio before and after: the compacted request re-reads what changed...
      expect(report.cacheHitRatioBefore).toBeGreaterThan(0.8);
      expect(report.cacheHitRatioAfter).toBeLessThan(report.cacheHitRatioBefore);
      // ...and the step after it is back on the cache.
      expect(result.steps[report.stepIndex + 1]?.cacheHitRatio).toBeGreaterThan(0.8);
    }
    // Every summary was a cheap call: Flash, thinking off, priced and counted in the run.
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((request) => request.body.model === 'deepseek-flash')).toBe(true);
    const summarized = reports.filter((report) => report.strategies.includes('summarizeTurns'));
    for (const report of summarized) {
      expect(report.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(report.cost?.total).toBeGreaterThan(0);
    }
    const summaryTokens = summarized.reduce((sum, report) => sum + (report.usage?.total_tokens ?? 0), 0);
    const stepTokens = result.steps.reduce((sum, step) => sum + step.usage.total_tokens, 0);
    expect(result.usage.total_tokens).toBe(stepTokens + summaryTokens);
    // The final history keeps every call paired, with the model's reasoning on each kept turn.
    const last = result.messages;
    expect(
      last.filter((message) => message.role === 'user' && String(message.content).startsWith(SUMMARY_PREFIX))
        .length,
    ).toBeGreaterThan(0);
    for (const message of last) {
      if (message.role === 'assistant') expect(message.reasoning_content).toMatch(/^(Step \d+|Every page)/);
    }
    // No request was refused (context length, replay rule).
    expect(emulator.failures).toEqual([]);
    expect(chatRequests(emulator).every((request) => request.status === 200)).toBe(true);
  }, 120_000);

  it('without context management the same run fails at the window (the emulator answers 400)', async () => {
    const emulator = await emulate({ contextWindow: 24_000, maxLoggedRequests: 5, script: crawler(200, []) });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage()],
      maxSteps: 260,
      maxTokens: 2000,
    });
    const error = await agent.run('Fetch every page of the archive.').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect(String((error as AgentRunError).cause)).toMatch(/maximum context length/);
    expect((error as AgentRunError).result.steps.length).toBeLessThan(200);
  }, 60_000);

  it('streams a context-compacted event with the report, and a token trigger fires at its count', async () => {
    const emulator = await emulate({ script: crawler(12, []) });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage()],
      maxSteps: 20,
      context: { trigger: { tokens: 2500 }, strategies: [clearToolResults({ keepLast: 2 })] },
    });
    const events: AgentEvent[] = [];
    const stream = agent.stream('Fetch every page.');
    for await (const event of stream) events.push(event);
    const result = await stream.result;
    const compacted = events.filter((event) => event.type === 'context-compacted');
    expect(compacted.length).toBeGreaterThan(0);
    expect(compacted.map((event) => event.report)).toEqual(result.compactions);
    for (const report of result.compactions ?? []) {
      expect(report.trigger).toBe('tokens');
      expect(report.before.tokens).toBeGreaterThanOrEqual(2500);
      expect(report.after.tokens).toBeLessThan(report.before.tokens);
    }
  });

  it('a cost-per-step trigger compacts once a step would cost more than the limit', async () => {
    const emulator = await emulate({ script: crawler(10, []) });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage()],
      maxSteps: 20,
      context: { trigger: { costPerStep: 0.00005 }, strategies: [clearToolResults({ keepLast: 2 })] },
    });
    const result = await agent.run('Fetch every page.');
    expect(result.compactions?.length).toBeGreaterThan(0);
    expect(result.compactions?.every((report) => report.trigger === 'costPerStep')).toBe(true);
  });

  it('prepareStep changes what a step sends, within the guards', async () => {
    const emulator = await emulate({ script: crawler(3, []) });
    const seen: number[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage()],
      prepareStep: ({ stepIndex, messages }) => {
        seen.push(stepIndex);
        if (stepIndex !== 2) return undefined;
        // Shorten every tool result: allowed (calls keep their answers).
        return messages.map(
          (message): ChatMessage => (message.role === 'tool' ? { ...message, content: 'short' } : message),
        );
      },
    });
    const result = await agent.run('Fetch every page.');
    expect(seen).toEqual([0, 1, 2, 3]);
    const third = chatRequests(emulator)[2];
    expect(
      third?.body.messages
        .filter((message: ChatMessage) => message.role === 'tool')
        .map((m: ChatMessage) => m.content),
    ).toEqual(['short', 'short']);
    expect(
      result.messages.filter((message) => message.role === 'tool').map((message) => message.content),
    ).toEqual(['short', 'short', `page 2: ${PAGE}`]);
  });

  it('a prepareStep that splits a call from its result fails the run with a ContextGuardError and sends nothing', async () => {
    const emulator = await emulate({ script: crawler(3, []) });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [fetchPage()],
      prepareStep: ({ stepIndex, messages }) =>
        stepIndex === 1 ? messages.filter((message) => message.role !== 'tool') : undefined,
    });
    const error = await agent.run('Fetch every page.').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as AgentRunError).cause).toBeInstanceOf(ContextGuardError);
    expect(String((error as AgentRunError).cause)).toMatch(/prepareStep produced an invalid history/);
    expect(chatRequests(emulator)).toHaveLength(1);
    expect((error as AgentRunError).result.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
    ]);
  });

  it("a run's context and prepareStep options replace the agent's for that run only", async () => {
    const emulator = await emulate({ script: crawler(24, []) });
    const agent = new Agent({ client: clientFor(emulator), tools: [fetchPage()], maxSteps: 30 });
    const steps: number[] = [];
    const managed = await agent.run('Fetch every page.', {
      context: { trigger: { tokens: 2500 }, strategies: [clearToolResults({ keepLast: 2 })] },
      prepareStep: ({ stepIndex }) => {
        steps.push(stepIndex);
        return undefined;
      },
    });
    expect(managed.compactions?.length).toBeGreaterThan(0);
    expect(steps).toHaveLength(managed.steps.length);
    const plain = await agent.run('Fetch every page.');
    expect(plain.compactions).toBeUndefined();
    await expect(agent.run('x', { context: { trigger: { tokens: -1 } } })).rejects.toThrow(
      /context\.trigger/,
    );
  });

  it('checks context options when the agent is built', () => {
    expect(() => new Agent({ context: { trigger: { fraction: 2 } } })).toThrow(/context\.trigger/);
    expect(() => new Agent({ context: { window: 1000 } })).toThrow(
      /context\.window.*output reserve of 65536/,
    );
    expect(() => new Agent({ context: { strategies: [{} as never] } })).toThrow(/context\.strategies\[0\]/);
    expect(() => new Agent({ context: { target: 1.5 } })).toThrow(/context\.target/);
    expect(() => new Agent({ prepareStep: 'x' as never })).toThrow(/prepareStep/);
  });
});
