import { formatNumber, type Summary } from './stats.js';

/** One line of the results table. */
export interface Row {
  scenario: string;
  framework: string;
  /** Unit of median and spread, e.g. `ms/step`, `MB/s`. */
  unit: string;
  summary?: Summary | undefined;
  /** Ratio to the row's reference (see `reference`). */
  ratio?: number | undefined;
  /** What the ratio is taken against, e.g. `floor`. */
  reference?: string | undefined;
  /** plumb's goal for this row, e.g. `<= 1.15x`, and whether it was met. */
  goal?: { text: string; met: boolean | undefined; judged?: false | undefined } | undefined;
  /** Why the row has no numbers (skipped or failed). */
  error?: string | undefined;
  note?: string | undefined;
}

const HEADER = ['scenario', 'framework', 'median', 'spread (min-max)', 'ratio', 'goal'];

function cells(row: Row, noteIndex: number | undefined, judge: boolean): string[] {
  const name = noteIndex === undefined ? row.framework : `${row.framework} [${noteIndex}]`;
  if (row.summary === undefined) {
    return [row.scenario, name, row.error ? `n/a: ${row.error}` : 'n/a', '', '', goalText(row, judge)];
  }
  const { median, min, max, n } = row.summary;
  const ratio =
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x${row.reference ? ` ${row.reference}` : ''}`;
  return [
    row.scenario,
    name,
    `${formatNumber(median)} ${row.unit}`,
    `${formatNumber(min)}-${formatNumber(max)} (n=${n})`,
    ratio,
    goalText(row, judge),
  ];
}

function goalText(row: Row, judge: boolean): string {
  if (row.goal === undefined) return '';
  if (row.goal.judged === false) return row.goal.text;
  if (!judge) return `${row.goal.text}: not judged`;
  const verdict = row.goal.met === undefined ? 'not measured' : row.goal.met ? 'met' : 'MISSED';
  return `${row.goal.text}: ${verdict}`;
}

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * The rows as a Markdown table (readable in a terminal, pasteable into docs), notes below it.
 * `judge: false` (short mode: too few samples) prints goals without a verdict.
 */
export function renderTable(rows: readonly Row[], judge = true): string {
  const notes: string[] = [];
  const body = rows.map((row) => {
    let index: number | undefined;
    if (row.note !== undefined) {
      const found = notes.indexOf(row.note);
      index = found === -1 ? notes.push(row.note) : found + 1;
    }
    return cells(row, index, judge).map(escapeCell);
  });
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...body.map((line) => line[column]!.length)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const out = [line(HEADER), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`];
  for (const values of body) out.push(line(values));
  if (notes.length > 0) {
    out.push('');
    notes.forEach((note, index) => {
      out.push(`[${index + 1}] ${note}`);
    });
  }
  return out.join('\n');
}
