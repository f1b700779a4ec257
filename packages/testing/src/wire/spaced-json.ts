/**
 * JSON the way DeepSeek's models write tool-call arguments: `{"location": "San Francisco"}`, with
 * a space after every `:` and `,` (Python's `json.dumps` defaults), not `JSON.stringify`'s compact
 * form. Clients that compare or hash argument strings see the real bytes.
 */
export function spacedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => spacedJson(item ?? null)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, item]) => item !== undefined && typeof item !== 'function',
  );
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${spacedJson(item)}`).join(', ')}}`;
}
