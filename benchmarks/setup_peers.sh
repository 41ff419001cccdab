#!/usr/bin/env bash
# Create (or update) benchmarks/.venv-peers: a separate, git-ignored environment
# holding the peer libraries the benchmarks compare crmlab against.
# Peers are never runtime dependencies of crmlab.
#
# Usage:  benchmarks/setup_peers.sh [extra-package ...]
#   PYTHON=python3.11 benchmarks/setup_peers.sh      # choose the interpreter
# Idempotent: re-running reuses the venv and only installs what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-peers"
python="${PYTHON:-python3}"
# Default peers (unpinned on purpose: we benchmark what users get today).
peers=(lifetimes pandas numpy)
if [ "$#" -gt 0 ]; then
  peers+=("$@")
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv with $($python --version 2>&1)"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
missing=()
for p in "${peers[@]}"; do
  name="${p%%[<>=!~ ]*}"
  if ! "$venv/bin/python" -m pip show --quiet "$name" >/dev/null 2>&1; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "$venv/bin/python" -m pip install --quiet "${missing[@]}"
else
  echo "all peers already installed in $venv"
fi
"$venv/bin/python" -m pip list --format=freeze 2>/dev/null | grep -iE "^($(IFS='|'; echo "${peers[*]%%[<>=!~ ]*}"))==" || true
