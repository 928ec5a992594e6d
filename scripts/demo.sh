#!/usr/bin/env bash
# Installs everything, builds the demo database (SQLite) and serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/python-env.sh
export PATH="$PWD/.venv/bin:$PATH"
(cd src/mizan && django-admin compilemessages --ignore=.venv >/dev/null)
exec mizan demo "$@"
