/**
 * Scans JSON-ish text (outside strings) for signs that it was cut off: an unterminated string, or
 * more opening braces/brackets than closing ones. A truncated tool call must be rejected, never
 * "repaired" (a repair would close it into a valid-looking call with fields missing).
 * Single-quoted strings count too, since models sometimes write them.
 */
export function looksTruncated(text: string): boolean {
  let depth = 0;
  let quote = 0; // the char code of the open quote, 0 outside strings
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (quote !== 0) {
      if (code === 92 /* \ */) index++;
      else if (code === quote) quote = 0;
      continue;
    }
    if (code === 34 /* " */ || code === 39 /* ' */) quote = code;
    else if (code === 123 /* { */ || code === 91 /* [ */) depth++;
    else if (code === 125 /* } */ || code === 93 /* ] */) depth--;
  }
  return quote !== 0 || depth > 0;
}
