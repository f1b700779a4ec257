import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every code block in the pack docs is a copy of a compiled file under src/examples; a block is
// marked with `<!-- snippet: <path from the repo root> -->`. This keeps the copies verbatim.

const repo = new URL('../../../../', import.meta.url);
const documents = ['docs/packs.md', 'docs/guides/writing-a-pack.md', 'packages/packs/README.md'];
const SNIPPET = /<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g;

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
    }
  });
});
