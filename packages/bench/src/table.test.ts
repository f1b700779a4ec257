import { describe, expect, it } from 'vitest';
import type { Outcome } from './measure.js';
import { buildRows } from './rows.js';
import { renderTable } from './table.js';

const outcomes = new Map<string, Outcome>([
  ['floor', { samples: [2, 1, 3] }],
  ['plumb', { samples: [2.2, 2.2, 2.4] }],
  ['other', { samples: [4, 4, 4] }],
  ['broken', { error: 'HTTP 400: bad' }],
]);
const goal = { text: '<= 1.15x floor', met: (value: number) => value <= 1.15 };

describe('buildRows', () => {
  it('takes ratios of medians to the reference and judges the goal on plumb rows only', () => {
    const rows = buildRows(
      { scenario: 's', unit: 'ms', reference: { key: 'floor', name: 'floor' }, goal },
      [{ key: 'floor' }, { key: 'plumb', label: 'plumb Agent' }, { key: 'other' }, { key: 'broken' }],
      outcomes,
    );
    expect(rows.map((row) => row.ratio)).toEqual([1, 1.1, 2, undefined]);
    expect(rows[1]!.goal).toEqual({ text: '<= 1.15x floor', met: true });
    expect(rows[2]!.goal).toBeUndefined();
    expect(rows[3]!.error).toBe('HTTP 400: bad');
  });

  it('marks the goal missed, or not measured when plumb failed', () => {
    const missed = buildRows(
      { scenario: 's', unit: 'ms', reference: { value: 1, name: '1 ms' }, goal },
      [{ key: 'plumb', label: 'plumb' }],
      outcomes,
    );
    expect(missed[0]!.goal).toEqual({ text: '<= 1.15x floor', met: false });
    const failed = buildRows(
      { scenario: 's', unit: 'ms', reference: { key: 'floor', name: 'floor' }, goal },
      [{ key: 'broken', label: 'plumb' }],
      outcomes,
    );
    expect(failed[0]!.goal).toEqual({ text: '<= 1.15x floor', met: undefined });
  });
});

describe('renderTable', () => {
  it('prints a Markdown table with medians, spreads, ratios, verdicts and numbered notes', () => {
    const table = renderTable([
      {
        scenario: 'loop',
        framework: 'plumb',
        unit: 'ms',
        summary: { n: 3, median: 2.2, min: 2.2, max: 2.4, q1: 2.2, q3: 2.3 },
        ratio: 1.1,
        reference: 'floor',
        goal: { text: '<= 1.15x floor', met: true },
        note: 'streams internally',
      },
      { scenario: 'loop', framework: 'x|y', unit: 'ms', error: 'could not load', goal: undefined },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^\| scenario +\| framework +\| median +\| spread \(min-max\) +\| ratio +\| goal +\|$/,
    );
    expect(lines[2]).toContain('| plumb [1] ');
    expect(lines[2]).toContain('| 2.20 ms ');
    expect(lines[2]).toContain('| 2.20-2.40 (n=3) ');
    expect(lines[2]).toContain('| 1.10x floor ');
    expect(lines[2]).toContain('<= 1.15x floor: met');
    expect(lines[3]).toContain('x\\|y');
    expect(lines[3]).toContain('n/a: could not load');
    expect(lines.at(-1)).toBe('[1] streams internally');
  });

  it('prints goals without a verdict when not judging (short mode)', () => {
    const table = renderTable(
      [{ scenario: 'loop', framework: 'plumb', unit: 'ms', goal: { text: '<= 1.15x floor', met: false } }],
      false,
    );
    expect(table).toContain('<= 1.15x floor: not judged');
    expect(table).not.toContain('MISSED');
  });
});
