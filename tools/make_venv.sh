#!/usr/bin/env bash
# Create the virtual environment, installing Debian's python3-venv first when
# the system Python lacks ensurepip (a fresh Debian) and we are allowed to.
set -euo pipefail
python=$1
venv=$2
if "$python" -m venv "$venv" 2>/dev/null; then
    exit 0
fi
rm -rf "$venv"
echo "'$python -m venv' failed: this Python has no venv/ensurepip module."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    minor=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    echo "Installing python$minor-venv with apt-get ..."
    # CI installs Chromium with apt at the same time: wait for apt's lock instead of failing on it
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "python$minor-venv" || \
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-venv
    "$python" -m venv "$venv"
else
    echo "Install it first (on Debian/Ubuntu: sudo apt-get install python3-venv), then run make again." >&2
    exit 1
fi
