#!/usr/bin/env bash
# Makes PostgreSQL's server binaries available for the tests (issue 18: session stores). The
# tests start and stop their own throwaway clusters (initdb + pg_ctl on a free loopback port, see
# packages/testing/src/postgres); this script only installs the binaries when they are missing.
# CI runs as root on Debian; no system cluster is created or started.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "postgresql: not installed and cannot install it here (needs root and apt-get); the Postgres tests will fail in CI" >&2
  exit 1
fi
# Keep apt from creating (and starting) a main cluster: the tests bring their own.
mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
echo "postgresql: installed $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
