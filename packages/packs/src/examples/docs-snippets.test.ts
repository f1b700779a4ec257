import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every code block in the pack docs is a copy of a compiled file under src/examples; a block is
// marked with `<!-- snippet: <path from the repo root> -->`. This keeps the copies verbatim, and
// refuses code blocks that are not copies (they could drift from the code unnoticed).

const repo = new URL('../../../../', import.meta.url);
const documents = ['docs/packs.md', 'docs/guides/writing-a-pack.md', 'packages/packs/README.md'];
const SNIPPET = /<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g;
/** Fenced blocks of code (not shell commands or sample output), with what precedes them. */
const CODE_BLOCK = /(^.*\n)```(?:ts|typescript|js|javascript|json)\n/gm;

describe('documentation snippets', () => {
  it.each(documents)('%s copies its snippets verbatim from compiled example files', (document) => {
    const text = readFileSync(new URL(document, repo), 'utf8');
    const snippets = [...text.matchAll(SNIPPET)];
    expect(snippets.length).toBeGreaterThan(0);
    for (const [, path, code] of snippets) {
      expect(path!.startsWith('packages/packs/src/examples/'), path).toBe(true);
      const file = new URL(path!, repo);
      expect(existsSync(file), `${path} exists`).toBe(true);
      expect(code, `${document}: ${path}`).toBe(readFileSync(file, 'utf8').trimEnd());
      if (path!.endsWith('.json')) expect(() => JSON.parse(code!), path).not.toThrow();
    }
  });

  it.each(documents)('%s has no code block that is not a checked snippet', (document) => {
    const text = readFileSync(new URL(document, repo), 'utf8');
    const unmarked = [...text.matchAll(CODE_BLOCK)]
      .filter(([, before]) => !before!.startsWith('<!-- snippet: '))
      .map((match) => text.slice(0, match.index).split('\n').length + 1);
    expect(unmarked, `${document}: unmarked code blocks at lines`).toEqual([]);
  });
});
