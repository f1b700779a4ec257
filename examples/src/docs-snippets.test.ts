import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './lib/registry.js';

// The docs show only compiled code. A code block in docs/**/*.md, the root README or a package
// README is preceded by
//   <!-- snippet: examples/src/weather-agent.ts#run -->   (a region of a file)
//   <!-- snippet: packages/packs/src/examples/quickstart.ts -->   (a whole file)
// and must equal that region (the lines between `// #region run` and its `// #endregion`, with
// their common indentation removed and nested region markers left out) or that file.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const docsRoot = join(repoRoot, 'docs');

/** Docs other people own: their links are their call (their code blocks are checked like all others). */
const OTHERS = ['decisions/', 'packs.md', 'guides/writing-a-pack.md', 'performance.md'];
/** Languages whose blocks must carry a snippet marker (shell, JSON, SQL, ... blocks need none). */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'mts']);

const MARKER = /^<!-- snippet: (\S+?)(?:#([\w-]+))? -->$/;
const REGION_START = /^\s*\/\/ #region ([\w-]+)\s*$/;
const REGION_END = /^\s*\/\/ #endregion\b/;

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The lines of region `name`, dedented; undefined when the file has no such region. */
function extractRegion(source: string, name: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === name);
  if (start === -1) return undefined;
  const body: string[] = [];
  let depth = 1;
  for (const line of lines.slice(start + 1)) {
    if (REGION_START.test(line)) {
      depth++;
      continue;
    }
    if (REGION_END.test(line)) {
      depth--;
      if (depth === 0) break;
      continue;
    }
    body.push(line);
  }
  if (depth !== 0) throw new Error(`region "${name}" has no matching // #endregion`);
  const indents = body
    .filter((line) => line.trim() !== '')
    .map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return body.map((line) => line.slice(common)).join('\n');
}

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  code: string;
  marker: { path: string; region: string | undefined } | undefined;
  /** A marker line not followed by a code block. */
  dangling?: boolean;
}

/** The fenced code blocks of a markdown file, with the snippet marker before each (if any). */
function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = MARKER.exec(lines[i]!.trim());
    const fence = /^```(\S*)\s*$/.exec(lines[match ? i + 1 : i] ?? '');
    if (match && !fence) {
      blocks.push({
        line: i + 1,
        language: '',
        code: '',
        marker: { path: match[1]!, region: match[2] },
        dangling: true,
      });
      continue;
    }
    if (!fence) continue;
    const open = match ? i + 1 : i;
    const close = lines.findIndex((line, index) => index > open && /^```\s*$/.test(line));
    if (close === -1) throw new Error(`unclosed code block at line ${open + 1}`);
    blocks.push({
      line: open + 1,
      language: fence[1] ?? '',
      code: lines.slice(open + 1, close).join('\n'),
      marker: match ? { path: match[1]!, region: match[2] } : undefined,
    });
    i = close;
  }
  return blocks;
}

describe('documentation snippets', () => {
  const files = existsSync(docsRoot) ? markdownFiles(docsRoot) : [];
  const readme = join(repoRoot, 'README.md');

  it('finds the guides', () => {
    const names = files.map((file) => relative(docsRoot, file));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'getting-started.md', 'guides/agent.md']));
  });

  const packagesRoot = join(repoRoot, 'packages');
  const readmes = existsSync(packagesRoot)
    ? readdirSync(packagesRoot)
        .map((name) => `packages/${name}/README.md`)
        .filter((path) => existsSync(join(repoRoot, path)))
    : [];
  const documents = [
    ...files.map((file) => `docs/${relative(docsRoot, file)}`),
    ...(existsSync(readme) ? ['README.md'] : []),
    ...readmes,
  ];

  it.each(documents)('%s quotes compiled code verbatim', (document) => {
    for (const block of codeBlocks(readFileSync(join(repoRoot, document), 'utf8'))) {
      const where = `${document}:${block.line}`;
      expect(block.dangling, `${where}: a snippet marker must be followed by a code block`).not.toBe(true);
      if (block.marker === undefined) {
        if (CODE_LANGUAGES.has(block.language))
          expect.fail(`${where}: ${block.language} code needs a snippet marker`);
        continue;
      }
      const file = join(repoRoot, block.marker.path);
      expect(existsSync(file), `${where}: ${block.marker.path} does not exist`).toBe(true);
      const source = readFileSync(file, 'utf8');
      const expected =
        block.marker.region === undefined ? source.trimEnd() : extractRegion(source, block.marker.region);
      expect(expected, `${where}: no region "${block.marker.region}" in ${block.marker.path}`).toBeDefined();
      expect(block.code, `${where} differs from ${block.marker.path}#${block.marker.region ?? ''}`).toBe(
        expected,
      );
    }
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('docs/README.md', () => {
  it('lists every example', () => {
    const index = readFileSync(join(docsRoot, 'README.md'), 'utf8');
    for (const entry of EXAMPLES) {
      if (entry.name !== 'demo') expect(index, entry.name).toContain(`| \`${entry.name}\` |`);
    }
  });
});

describe('documentation links', () => {
  const owned = (existsSync(docsRoot) ? markdownFiles(docsRoot) : []).filter(
    (file) => !OTHERS.some((prefix) => relative(docsRoot, file).startsWith(prefix)),
  );

  it.each(owned.map((file) => relative(docsRoot, file)))(
    'docs/%s links to files and headings that exist',
    (name) => {
      const file = join(docsRoot, name);
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [path, anchor] = target!.split('#');
        const linked = path ? join(file, '..', path) : file;
        expect(existsSync(linked), `docs/${name}: ${target} does not exist`).toBe(true);
        if (anchor !== undefined && linked.endsWith('.md')) {
          const headings = [...readFileSync(linked, 'utf8').matchAll(/^#+ (.+)$/gm)].map((match) =>
            slug(match[1]!),
          );
          expect(headings, `docs/${name}: no heading #${anchor} in ${path || name}`).toContain(anchor);
        }
      }
    },
  );
});

describe('extractRegion', () => {
  it('dedents a region and leaves nested markers out', () => {
    const source = [
      'run(async () => {',
      '  // #region outer',
      '  const a = 1;',
      '  // #region inner',
      '  if (a) {',
      '    go();',
      '  }',
      '  // #endregion',
      '  // #endregion',
      '});',
    ].join('\n');
    expect(extractRegion(source, 'outer')).toBe('const a = 1;\nif (a) {\n  go();\n}');
    expect(extractRegion(source, 'inner')).toBe('if (a) {\n  go();\n}');
    expect(extractRegion(source, 'missing')).toBeUndefined();
  });

  it('rejects a region that is never closed', () => {
    expect(() => extractRegion('// #region open\nx();', 'open')).toThrow(/no matching/);
  });
});

describe('codeBlocks', () => {
  it('pairs each block with the marker right above it', () => {
    const markdown = [
      '<!-- snippet: examples/src/chat.ts#create -->',
      '```ts',
      'code();',
      '```',
      '```sh',
      'pnpm demo',
      '```',
      '<!-- snippet: examples/src/chat.ts -->',
      'not a block',
    ].join('\n');
    expect(codeBlocks(markdown)).toEqual([
      {
        line: 2,
        language: 'ts',
        code: 'code();',
        marker: { path: 'examples/src/chat.ts', region: 'create' },
      },
      { line: 5, language: 'sh', code: 'pnpm demo', marker: undefined },
      {
        line: 8,
        language: '',
        code: '',
        marker: { path: 'examples/src/chat.ts', region: undefined },
        dangling: true,
      },
    ]);
  });
});
