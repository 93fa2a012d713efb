#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned packages. Idempotent and quick when
# nothing changed: the install is skipped while pyproject.toml and constraints.txt are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP=$VENV/.installed

find_python310() {
    local candidate
    for candidate in "${PYTHON310:-}" python3.10; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
            [ -x "$candidate" ] && { echo "$candidate"; return 0; }
        done
    fi
    for candidate in "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
        [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
    return 1
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    if ! PY=$(find_python310); then
        echo "error: Python 3.10 is required (Rasa 3.6 supports Python 3.8-3.10 only) and none was found." >&2
        echo "       Looked on PATH (python3.10), in pyenv and in /usr/bin. Install it, e.g. 'pyenv install 3.10'," >&2
        echo "       or point PYTHON310=/path/to/python3.10 at one." >&2
        exit 1
    fi
    echo "==> Creating $VENV with $PY"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi

want=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "==> Installing packages (pinned by constraints.txt; takes a few minutes the first time)"
    mkdir -p var
    log=var/pip-install.log
    if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check \
               'setuptools==70.3.0' 'wheel==0.45.1' 'packaging==20.9' \
           && "$VENV/bin/python" -m pip install --disable-pip-version-check \
               -c constraints.txt --no-build-isolation -e '.[dev]'; } >"$log" 2>&1 \
       || ! "$VENV/bin/python" -c 'import rasa, rasa_sdk, spacy, bot' >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "error: the package install failed; the whole log is in $log" >&2
        exit 1
    fi
    echo "$want" > "$STAMP"
fi
