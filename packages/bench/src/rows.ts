import type { Outcome } from './measure.js';
import { ratio, summarize } from './stats.js';
import type { Row } from './table.js';

/** How a scenario turns its outcomes into table rows. */
export interface RowSpec {
  scenario: string;
  unit: string;
  /** Ratios are taken against this candidate's median, or against a fixed value. */
  reference: { key: string; name: string } | { value: number; name: string };
  /** plumb's goal: shown on plumb rows only. */
  goal?: { text: string; met(ratio: number): boolean } | undefined;
}

/** One measured candidate: its outcome key, row label and optional note. */
export interface RowEntry {
  key: string;
  label?: string | undefined;
  note?: string | undefined;
  /** Why this plumb row is shown but not judged against the goal (the comparison is not like for like). */
  notJudged?: string | undefined;
}

function medianOf(outcome: Outcome | undefined): number | undefined {
  return outcome && 'samples' in outcome && outcome.samples.length > 0
    ? summarize(outcome.samples).median
    : undefined;
}

/** A row per entry, with median, spread, ratio to the reference and (plumb rows) the goal verdict. */
export function buildRows(
  spec: RowSpec,
  entries: readonly RowEntry[],
  outcomes: Map<string, Outcome>,
): Row[] {
  const reference =
    'key' in spec.reference ? medianOf(outcomes.get(spec.reference.key)) : spec.reference.value;
  return entries.map((entry) => {
    if (entry.notJudged !== undefined && spec.goal !== undefined) {
      const row = buildRows({ ...spec, goal: undefined }, [{ ...entry, notJudged: undefined }], outcomes)[0]!;
      return { ...row, goal: { text: `n/a: ${entry.notJudged}`, met: undefined, judged: false } };
    }
    const label = entry.label ?? entry.key;
    const isReference = 'key' in spec.reference && spec.reference.key === entry.key;
    const goalText = spec.goal && label.startsWith('plumb') ? spec.goal : undefined;
    const base = { scenario: spec.scenario, framework: label, unit: spec.unit, note: entry.note };
    const outcome = outcomes.get(entry.key);
    if (outcome === undefined || 'error' in outcome || outcome.samples.length === 0) {
      return {
        ...base,
        error: outcome === undefined ? 'not run' : 'error' in outcome ? outcome.error : 'no samples',
        goal: goalText && { text: goalText.text, met: undefined },
      };
    }
    const summary = summarize(outcome.samples);
    const value = isReference ? 1 : ratio(summary.median, reference);
    return {
      ...base,
      summary,
      ratio: value,
      reference: spec.reference.name,
      goal: goalText && { text: goalText.text, met: value === undefined ? undefined : goalText.met(value) },
    };
  });
}

/** Rows for the frameworks that could not be loaded (those without a running process). */
export function skippedRows(
  scenario: string,
  unit: string,
  frameworks: ReadonlyArray<{ entry: { name: string }; remote?: unknown; error?: string | undefined }>,
): Row[] {
  return frameworks
    .filter((loaded) => loaded.remote === undefined)
    .map((loaded) => ({ scenario, framework: loaded.entry.name, unit, error: loaded.error ?? 'skipped' }));
}
