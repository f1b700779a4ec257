/** Masks every string inside JSON-like data (the agent's key masking, then the recorder's secrets). */
export function maskData(value: unknown, mask: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return mask(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => maskData(item, mask, depth + 1));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return maskData(toJSON.call(value), mask, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && typeof item !== 'function') out[key] = maskData(item, mask, depth + 1);
  }
  return out;
}

/** A masking function for a list of secrets (each replaced by `****`). */
export function secretMask(secrets: readonly string[]): (text: string) => string {
  const list = secrets.filter((secret) => typeof secret === 'string' && secret.length >= 4);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join('****');
    return out;
  };
}
