/**
 * Deterministic log-probabilities for emitted tokens, in DeepSeek's shape
 * `{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}` (real captures use the
 * `content` list; the `reasoning_content` list is documented but only seen in synthetic files).
 */

export interface LogprobEntry {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }>;
}

const ALTERNATIVES = [' the', ' a', ',', '.', ' and', ' to', ' of', ' in', ' is', ' it'];

/** The chosen token's logprob: small, negative and stable for a given position. */
function chosenLogprob(position: number): number {
  return -Number((0.00002467602 * (1 + (position % 13))).toPrecision(7));
}

function bytesOf(token: string): number[] {
  return Array.from(Buffer.from(token, 'utf8'));
}

/** One entry per token; `top` alternatives (0-20), the chosen token first. */
export function logprobEntries(tokens: readonly string[], top: number, offset = 0): LogprobEntry[] {
  return tokens.map((token, index) => logprobEntry(token, top, offset + index));
}

export function logprobEntry(token: string, top: number, position: number): LogprobEntry {
  const logprob = chosenLogprob(position);
  const bytes = bytesOf(token);
  const topLogprobs: LogprobEntry['top_logprobs'] = [];
  if (top > 0) topLogprobs.push({ token, logprob, bytes });
  const alternatives = ALTERNATIVES.filter((alternative) => alternative !== token);
  for (let rank = 1; rank < top; rank++) {
    const alternative = alternatives[rank - 1] ?? ` option${rank}`;
    topLogprobs.push({
      token: alternative,
      logprob: -rank * 2.5 - (position % 7) / 10,
      bytes: bytesOf(alternative),
    });
  }
  return { token, logprob, bytes, top_logprobs: topLogprobs };
}
