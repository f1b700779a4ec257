import { describe, expect, it } from 'vitest';
import type { Outcome } from '../measure.js';
import { pairedRows } from './tool-loop.js';

describe('tool loop: paired rows', () => {
  const runners = [
    { label: 'floor: fetch + SSE loop' },
    { label: 'floor: node:http + SSE loop' },
    { label: 'plumb Agent.run()' },
    { label: 'plumb Agent.run() on the fetch transport', notJudged: 'for comparison' },
    { label: 'openai create(stream) loop' },
  ];
  const outcomes = new Map<string, Outcome>([
    ['floor: fetch + SSE loop', { samples: [2, 4, 10], first: 20 }],
    ['floor: node:http + SSE loop', { samples: [1, 2, 5], first: 10 }],
    ['plumb Agent.run()', { samples: [2, 2, 5], first: 5 }],
    ['plumb Agent.run() on the fetch transport', { samples: [3, 3, 3] }],
    ['openai create(stream) loop', { samples: [9, 9, 9], first: 9 }],
  ]);
  const rows = pairedRows('tool loop', runners, outcomes);

  it('takes each plumb row against each floor round by round: median and spread of the ratios', () => {
    const fetchFloor = rows.find((row) => row.framework === 'plumb Agent.run() / floor: fetch + SSE loop');
    // Ratios 1, 0.5, 0.5 (not the ratio of the medians, 2 / 4).
    expect(fetchFloor?.summary).toMatchObject({ n: 3, median: 0.5, min: 0.5, max: 1 });
    expect(fetchFloor?.goal).toEqual({ text: '<= 1x floor', met: true });
    const nodeFloor = rows.find((row) => row.framework === 'plumb Agent.run() / floor: node:http + SSE loop');
    expect(nodeFloor?.summary).toMatchObject({ median: 1, min: 1, max: 2 });
    expect(nodeFloor?.goal?.met).toBe(true);
  });

  it('reports the first runs apart (cold), unjudged, and leaves out other frameworks and rows without a first run', () => {
    const cold = rows.filter((row) => row.scenario.includes('cold'));
    expect(cold.map((row) => [row.framework, row.summary?.median, row.goal])).toEqual([
      ['plumb Agent.run() / floor: fetch + SSE loop', 0.25, undefined],
      ['plumb Agent.run() / floor: node:http + SSE loop', 0.5, undefined],
    ]);
    expect(rows.some((row) => row.framework.startsWith('openai'))).toBe(false);
    const unjudged = rows.filter((row) => row.framework.includes('fetch transport'));
    expect(unjudged).toHaveLength(2);
    expect(unjudged.every((row) => row.goal === undefined)).toBe(true);
  });
});
