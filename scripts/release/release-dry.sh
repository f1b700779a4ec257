#!/usr/bin/env bash
# `pnpm release:dry`: everything a release would publish, checked without publishing. For every
# public package under packages/ (new ones included): the metadata check, a build, `pnpm pack`,
# the tarball's contents (LICENSE, CHANGELOG, declaration maps, the require-esm.cjs stub, a README
# (a warning when missing);
# no tests, fixtures or example sources), publint, and are-the-types-wrong (ESM-only profile:
# CommonJS callers get the stub's message on Node < 20.19, require(esm) after). Then a
# pending-changesets report. Nothing is published.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(bash scripts/release/tools.sh)
node scripts/release/package-metadata.mjs --check
pnpm build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for dir in packages/*/; do
  dir=${dir%/}
  [ -f "$dir/package.json" ] || continue
  if node -e "process.exit(require('./$dir/package.json').private ? 0 : 1)"; then continue; fi
  name=$(node -p "require('./$dir/package.json').name")
  (cd "$dir" && pnpm pack --pack-destination "$work" >/dev/null)
  tarball=$(ls -t "$work"/*.tgz | head -1)
  listing=$(tar -tzf "$tarball")
  problems=()
  grep -qx package/README.md <<<"$listing" || echo "$name: warning: no README.md (npm shows the README as the package page)"
  for required in package/LICENSE package/CHANGELOG.md package/require-esm.cjs package/require-esm.d.cts package/dist/index.d.ts.map; do
    grep -qx "$required" <<<"$listing" || problems+=("missing ${required#package/}")
  done
  # The package's own code only: a scaffolder's template (create-plumb) ships a test on purpose.
  bad=$(grep -E '^package/(src|dist)/(.*/)?([^/]*\.test(-d)?\.[cm]?[jt]s|__fixtures__/.*|examples/.*|test-helpers\.[^/]*)$' <<<"$listing" || true)
  [ -z "$bad" ] || problems+=("ships test or example files: $(echo "$bad" | head -3 | tr '\n' ' ')")
  if ! "$bin/publint" run "$dir" --strict --pack pnpm >"$work/publint.log" 2>&1; then
    problems+=("publint: $(grep -v '^$' "$work/publint.log" | tail -5 | tr '\n' ' ')")
  fi
  if ! "$bin/attw" "$tarball" --profile esm-only --format table-flipped >"$work/attw.log" 2>&1; then
    cat "$work/attw.log"
    problems+=("are-the-types-wrong reported problems (above)")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    failed=1
    printf '%s: FAILED\n' "$name"
    printf '  - %s\n' "${problems[@]}"
  else
    echo "$name: ok ($(wc -l <<<"$listing") files, $(du -k "$tarball" | cut -f1) kB packed; publint, attw clean)"
  fi
done
"$bin/changeset" status 2>/dev/null | sed 's/^🦋  //' || echo "(changesets: no pending changesets)"
[ "$failed" -eq 0 ] || { echo "release:dry FAILED"; exit 1; }
echo "release:dry ok: nothing was published"
