#!/usr/bin/env bash
# Creates .venv with Python 3.12 and installs the locked dependencies (uv.lock) into it.
set -euo pipefail
cd "$(dirname "$0")/.."
find_python() {
  for candidate in python3.12 "$(command -v pyenv >/dev/null && pyenv root || echo "$HOME/.pyenv")"/versions/3.12*/bin/python3 /usr/bin/python3.12 /usr/local/bin/python3.12; do
    if [ -x "$(command -v "$candidate" 2>/dev/null || echo "$candidate")" ] \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
PYTHON=$(find_python) || { echo "Python 3.12 is needed (pyenv install 3.12)." >&2; exit 1; }
if [ ! -x .tools/bin/uv ]; then
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
fi
.tools/bin/uv sync --frozen --quiet --python "$PYTHON"
