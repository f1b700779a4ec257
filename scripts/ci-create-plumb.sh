#!/usr/bin/env bash
# Issue 20: a project scaffolded by create-plumb passes its own tests when installed from the packed
# plumb tarballs (third-party dependencies from the npm registry). Builds, packs the plumb packages
# the project needs (pnpm pack), scaffolds into a temp dir, installs, runs `npm test` and one
# offline `plumb run`. Bounded: a few minutes at most.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '\n=== create-plumb: scaffold, install from tarballs, run the project tests\n'
pnpm build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs"
# The plumb packages the scaffolded project depends on, and theirs (the closure), from the workspace.
needed=$(node -e '
  const fs = require("fs");
  const dirs = fs.readdirSync("packages").filter((d) => fs.existsSync(`packages/${d}/package.json`));
  const byName = Object.fromEntries(dirs.map((d) => [require(`./packages/${d}/package.json`).name, d]));
  const template = require("./packages/create-plumb/template/package.json");
  const todo = Object.keys({ ...template.dependencies, ...template.devDependencies }).filter((n) => byName[n]);
  const seen = new Set();
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const pkg = require(`./packages/${byName[name]}/package.json`);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (byName[dep]) todo.push(dep);
  }
  console.log([...seen].map((n) => byName[n]).join(" "));
')
for dir in $needed create-plumb; do
  (cd "packages/$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"
cd "$work"
tar -xzf tarballs/create-plumb-*.tgz -C "$work" && mv package create-plumb
(cd create-plumb && npm install --no-audit --no-fund --loglevel=error --omit=dev >/dev/null)
node create-plumb/bin/create-plumb.js my-agent
cd my-agent
# Point every plumb dependency at its tarball (direct dependencies, so npm never asks the registry
# for a plumb package; the tarballs' own ^0.1.0 ranges are met by these).
node -e '
  const fs = require("fs");
  const path = require("path");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  pkg.dependencies ??= {};
  for (const file of fs.readdirSync("../tarballs")) {
    const tar = path.resolve("../tarballs", file);
    const { execSync } = require("child_process");
    const name = JSON.parse(execSync(`tar -xzOf ${JSON.stringify(tar)} package/package.json`, { encoding: "utf8" })).name;
    if (name === "create-plumb") continue;
    const spec = `file:${tar}`;
    if (pkg.devDependencies?.[name]) pkg.devDependencies[name] = spec;
    else pkg.dependencies[name] = spec;
  }
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
'
npm install --no-audit --no-fund --loglevel=error >/dev/null
unset DEEPSEEK_API_KEY
npm run typecheck
npm test
npx --no-install plumb run src/agent.ts "Remember: buy oat milk" --progress-every 30
echo "create-plumb project: tests passed"
