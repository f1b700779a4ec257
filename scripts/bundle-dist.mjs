#!/usr/bin/env node
/**
 * Run after `tsc` by the build of @plumb/core, @plumb/tools and @plumb/agent (in the package's
 * directory): rewrites the package's `dist/` entry points as ES module bundles that share chunks
 * (`dist/chunks/`), and removes the per-file JavaScript tsc emitted behind them. Importing
 * `@plumb/agent` then reads and compiles about a dozen files instead of about 150: Node's cost per
 * ES module (resolve, read, compile, link) was most of plumb's cold start (docs/performance.md).
 *
 * - Entry points: every `.js` target of the package's `exports` and `imports` (the latter: core's
 *   `#default-transport`, which stays an import resolved at run time, so each runtime still gets
 *   its own transport; bundled as entries of the same build, they share the chunks the rest uses,
 *   so no module exists twice).
 * - Dependencies, `node:` builtins and `#` imports stay imports (nothing of another package is
 *   copied in). Code and behaviour are tsc's output as it was, concatenated: no minifying.
 * - Source maps map to `src/*.ts` (esbuild follows tsc's maps); the `.d.ts` files stay as tsc
 *   wrote them.
 */
import { readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const dir = process.cwd();
const dist = join(dir, 'dist');
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Every string leaf of an exports / imports map that is a `.js` file under dist/. */
function targets(map, found = new Set()) {
  if (typeof map === 'string') {
    if (map.startsWith('./dist/') && map.endsWith('.js')) found.add(join(dir, map));
  } else if (map !== null && typeof map === 'object') {
    for (const value of Object.values(map)) targets(value, found);
  }
  return found;
}

const entries = [...targets(pkg.exports), ...targets(pkg.imports ?? {})];
if (entries.length === 0) throw new Error(`${pkg.name}: no dist/*.js entry in exports or imports`);
const dependencies = Object.keys({
  ...pkg.dependencies,
  ...pkg.peerDependencies,
  ...pkg.optionalDependencies,
});

rmSync(join(dist, 'chunks'), { recursive: true, force: true });
const result = await build({
  entryPoints: entries,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['node:*', '#*', ...dependencies.flatMap((name) => [name, `${name}/*`])],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
});

// Class names are load-bearing (PlumbError's `name` is `new.target.name`, and `isInstance`
// compares names): esbuild renames a class whose name collides with another module's top-level
// name (`Foo` -> `Foo2`). Refuse such a bundle rather than ship errors with a changed name.
const CLASS = /\bclass ([A-Za-z_$][\w$]*)|\b(?:var|let|const) ([A-Za-z_$][\w$]*) = class\b/g;
function classNames(files) {
  const names = new Set();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(CLASS)) names.add(match[1] ?? match[2]);
  }
  return names;
}
const declared = classNames(Object.keys(result.metafile.inputs));
const bundled = classNames(Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js')));
const renamed = [...bundled].filter((name) => !declared.has(name));
if (renamed.length > 0) {
  throw new Error(
    `${pkg.name}: the bundle renamed classes ${renamed.join(', ')} (a name clash between modules): rename one of the clashing declarations in src/.`,
  );
}

// What the bundles are made of: tsc's other .js files (and their maps) are no longer imported.
const kept = new Set(Object.keys(result.metafile.outputs).map((file) => join(process.cwd(), file)));
let removed = 0;
function prune(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      prune(path);
    } else if ((name.endsWith('.js') || name.endsWith('.js.map')) && !kept.has(path)) {
      unlinkSync(path);
      removed++;
    }
  }
}
prune(dist);
const files = [...kept].filter((file) => file.endsWith('.js')).map((file) => relative(dir, file));
console.log(
  `${pkg.name}: ${files.length} bundled files, ${bundled.size} class names kept (${removed} per-file outputs removed)`,
);
