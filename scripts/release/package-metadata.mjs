#!/usr/bin/env node
// What every published package carries, for every public package under packages/ (new ones
// included): a LICENSE (the root one), a CHANGELOG.md, repository/homepage/bugs/keywords/author, the
// `require` export condition that explains the ESM-only policy on Node < 20.19, and
// declaration maps. `--check` (CI) lists what is missing; `--write` adds it.
// Usage: node scripts/release/package-metadata.mjs --check | --write [package dir ...]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The one place the repository's address is written; every package's links derive from it.
const REPO = rootPkg.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
const mode = process.argv[2];
const only = process.argv.slice(3);
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: package-metadata.mjs --check | --write [packages/<dir> ...]');
  process.exit(2);
}
if (!REPO) throw new Error('root package.json needs repository.url');

const BASE_KEYWORDS = ['plumb', 'deepseek', 'llm', 'ai', 'typescript'];
const REQUIRE_FILE = 'require-esm.cjs';
const REQUIRE_TYPES = 'require-esm.d.cts';

function requireStub(name) {
  return `'use strict';
// ${name} is an ES module. Node >= 20.19 loads it from require() too (require(esm)); older Node
// would throw ERR_REQUIRE_ESM, so this file (the "require" export condition) says what to do.
const node = typeof process === 'undefined' ? undefined : process.versions?.node;
// process.features.require_module is true where require(esm) works (Node 20.19+, 22.12+, Bun, Deno);
// older Node has it false or not at all. Elsewhere (a browser bundle) there is no Node to check.
if (node && !process.features?.require_module) {
  const error = new Error(
    '${name} is ESM-only and needs Node.js >= 20.19 to be loaded with require() ' +
      '(this is Node ' + process.version + '). Upgrade Node (20.19+, 22.12+ or 24), or load it with ' +
      "import('${name}') / an ESM file (\\"type\\": \\"module\\" or .mjs). See the ESM-only policy: " +
      '${REPO}/blob/main/docs/installing.md#esm-only',
  );
  error.code = 'PLUMB_REQUIRE_ESM';
  throw error;
}
module.exports = require('./dist/index.js');
`;
}

const problems = [];
const dirs =
  only.length > 0
    ? only.map((dir) => dir.replace(/\/$/, ''))
    : readdirSync(join(root, 'packages')).map((d) => `packages/${d}`);
for (const dir of dirs) {
  const file = join(root, dir, 'package.json');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  if (pkg.private) continue;
  const want = {
    author: 'The plumb authors',
    repository: { type: 'git', url: `git+${REPO}.git`, directory: dir },
    homepage: `${REPO}/tree/main/${dir}#readme`,
    bugs: { url: `${REPO}/issues` },
  };
  const missing = [];
  for (const [key, value] of Object.entries(want)) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(value)) {
      missing.push(key);
      pkg[key] = value;
    }
  }
  if (!Array.isArray(pkg.keywords) || !BASE_KEYWORDS.every((word) => pkg.keywords.includes(word))) {
    missing.push('keywords');
    pkg.keywords = [...new Set([...BASE_KEYWORDS, ...(pkg.keywords ?? [])])];
  }
  if (pkg.license !== 'MIT') missing.push('license');
  const main = pkg.exports?.['.'];
  const wantRequire = { types: `./${REQUIRE_TYPES}`, default: `./${REQUIRE_FILE}` };
  if (main && typeof main === 'object' && JSON.stringify(main.require) !== JSON.stringify(wantRequire)) {
    missing.push('exports["."].require');
    // Before "types": a CommonJS caller gets the stub and its own types, everyone else the ESM build.
    const { '@plumb/source': source, require: _, ...rest } = main;
    pkg.exports['.'] = {
      ...(source === undefined ? {} : { '@plumb/source': source }),
      require: wantRequire,
      ...rest,
    };
  }
  for (const entry of main ? [REQUIRE_FILE, REQUIRE_TYPES, 'CHANGELOG.md'] : ['CHANGELOG.md']) {
    if (!Array.isArray(pkg.files) || pkg.files.includes(entry)) continue;
    missing.push(`files: ${entry}`);
    pkg.files = [
      ...pkg.files.filter((item) => !item.startsWith('!')),
      entry,
      ...pkg.files.filter((item) => item.startsWith('!')),
    ];
  }
  // Test code never ships, whatever the build emitted next to the sources.
  for (const entry of ['!dist/**/*.test.*', '!dist/**/test-helpers.*', '!dist/**/__fixtures__']) {
    if (!Array.isArray(pkg.files) || pkg.files.includes(entry)) continue;
    missing.push(`files: ${entry}`);
    pkg.files = [...pkg.files, entry];
  }
  const generated = main
    ? [
        [REQUIRE_FILE, requireStub(pkg.name)],
        [
          REQUIRE_TYPES,
          `// Types for require('${pkg.name}'), which Node >= 20.19 answers with the ES module itself (require(esm)).\nexport * from './dist/index.js';\n`,
        ],
      ]
    : [];
  for (const [name, raw] of generated) {
    const path = join(root, dir, name);
    // Written as the repository's formatter writes it, so `biome check` (in `pnpm test`) and this
    // check agree, whoever formats the package.
    const content = execFileSync(
      join(root, 'node_modules/.bin/biome'),
      ['format', `--stdin-file-path=${name}`],
      {
        input: raw,
        encoding: 'utf8',
      },
    );
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    missing.push(name);
    if (mode === '--write') writeFileSync(path, content);
  }
  const license = join(root, dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')) {
    missing.push('LICENSE');
    if (mode === '--write') copyFileSync(join(root, 'LICENSE'), license);
  }
  const changelog = join(root, dir, 'CHANGELOG.md');
  if (!existsSync(changelog)) {
    missing.push('CHANGELOG.md');
    // changesets appends the next versions above this line (`pnpm changeset`, then `changeset version`).
    if (mode === '--write')
      writeFileSync(changelog, `# ${pkg.name}\n\n## ${pkg.version}\n\n- First version.\n`);
  }
  const buildConfig = join(root, dir, 'tsconfig.build.json');
  if (existsSync(buildConfig) && /"declarationMap":\s*false/.test(readFileSync(buildConfig, 'utf8'))) {
    missing.push('declaration maps (tsconfig.build.json)');
    if (mode === '--write')
      writeFileSync(
        buildConfig,
        readFileSync(buildConfig, 'utf8').replace(/"declarationMap":\s*false/, '"declarationMap": true'),
      );
  }
  if (missing.length === 0) continue;
  if (mode === '--write') {
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    console.log(`${dir}: added ${missing.join(', ')}`);
  } else {
    problems.push(`${dir}: missing ${missing.join(', ')}`);
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error('Fix: node scripts/release/package-metadata.mjs --write');
  process.exit(1);
}
if (mode === '--check') console.log('package metadata: ok');
