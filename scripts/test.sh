#!/usr/bin/env bash
# The whole test suite: lint, types, layers, migrations, pytest on SQLite and PostgreSQL,
# then the browser tests in Chromium. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/python-env.sh
export PATH="$PWD/.venv/bin:$PATH" DJANGO_SETTINGS_MODULE=mizan.settings.test
export MIZAN_DATA_DIR="${MIZAN_DATA_DIR:-$PWD/data/test}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Translations"
(cd src/mizan && django-admin compilemessages --ignore=.venv >/dev/null)
step "ruff"
ruff check src tests bench docs
ruff format --check src tests bench docs
step "mypy"
mypy
step "import-linter"
lint-imports --no-cache
step "migrations are complete"
mizan makemigrations --check --dry-run
step "pytest on SQLite"
pytest -q -n 2 "$@"
step "pytest on PostgreSQL"
PG_URL=$(bash scripts/postgres.sh)
DATABASE_URL="$PG_URL" pytest -q -n 2 "$@"
step "browser tests (Chromium, Arabic and French)"
DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -q -m browser tests/browser "$@"
