#!/usr/bin/env bash
# Print the path of a Python X.Y interpreter (argument "3.13"), or nothing and exit 1.
# Looks on PATH first (pythonX.Y that really runs: pyenv shims may not), then in pyenv's versions.
set -uo pipefail
want=$1
if command -v "python$want" >/dev/null 2>&1 && "python$want" -c 'import sys' >/dev/null 2>&1; then
    "python$want" -c 'import sys; print(sys.executable)'
    exit 0
fi
for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$want".*/bin/python3 2>/dev/null | sort -V -r); do
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then
        echo "$candidate"
        exit 0
    fi
done
exit 1
