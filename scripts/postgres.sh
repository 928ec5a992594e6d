#!/usr/bin/env bash
# Starts the local PostgreSQL server (installing it if missing) and creates the role
# `mizan` used by the test suite. Prints the DATABASE_URL to use.
set -euo pipefail
command -v pg_lsclusters >/dev/null || bash "$(dirname "$0")/system-packages.sh"
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main >/dev/null
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
fi
read -r version name <<<"$cluster"
pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online \
  || pg_ctlcluster "$version" "$name" start >&2
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='mizan'\"" | grep -q 1 \
  || as_postgres "psql -p $port -qc \"CREATE ROLE mizan LOGIN SUPERUSER PASSWORD 'mizan'\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='mizan'\"" | grep -q 1 \
  || as_postgres "createdb -p $port -O mizan mizan" >&2
echo "postgres://mizan:mizan@127.0.0.1:$port/mizan"
