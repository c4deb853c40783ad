#!/usr/bin/env bash
# Installs the npm dependencies on a fresh clone, so `npm start` and `npm test` are the only
# commands a newcomer needs. A no-op when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "installing npm dependencies..."
  # `npm install` rather than `npm ci`: the lock holds only the platform packages the registry
  # serves, and `npm ci` refuses a lock without every platform's optional packages.
  npm install --no-audit --no-fund --loglevel=error
fi
