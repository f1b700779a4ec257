import { cutText } from '@plumb/core';
import type { ToolInputIssue } from './errors.js';
import type { RawIssue } from './schema/adapter.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const PREVIEW_LENGTH = 40;

/** `['items', 0, 'name']` -> `items[0].name`; the empty path is `(root)`. */
function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

function preview(text: string): string {
  return text.length > PREVIEW_LENGTH ? `${cutText(text, PREVIEW_LENGTH)}…` : text;
}

/** A short, model-readable description of a value: `number 42`, `string "abc"`, `missing`. */
function describeReceived(value: unknown, present: boolean): string {
  if (!present || value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      return `string ${preview(JSON.stringify(value))}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object': {
      const keys = Object.keys(value);
      return keys.length === 0 ? 'empty object' : `object with keys ${preview(keys.join(', '))}`;
    }
    default:
      return typeof value;
  }
}

function valueAt(input: unknown, path: readonly (string | number)[]): { value: unknown; present: boolean } {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
      return { value: undefined, present: false };
    }
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { value: current, present: true };
}

/** Validator issues (zod 3 or zod 4) -> {@link ToolInputIssue}s, with what the model actually sent. */
export function normalizeIssues(raw: readonly RawIssue[], input: unknown): ToolInputIssue[] {
  return raw.map((issue) => {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    const { value, present } = valueAt(input, path);
    return { path, message: issue.message, code: issue.code, received: describeReceived(value, present) };
  });
}

/** One line per issue: `- items[0].name: Invalid input: expected string (received: number 3)`. */
export function formatIssueLines(issues: readonly ToolInputIssue[]): string {
  return issues
    .map((issue) => {
      const received =
        issue.received !== undefined && !/received/i.test(issue.message)
          ? ` (received: ${issue.received})`
          : '';
      return `- ${formatPath(issue.path)}: ${issue.message}${received}`;
    })
    .join('\n');
}
