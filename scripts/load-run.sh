#!/usr/bin/env bash
# `npm run load:<scenario>`: dependencies on a fresh clone (as `npm start` does), then the
# scenario runner. Arguments after the scenario name are the runner's (see docs/load-tests.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node --import @swc-node/register/esm-register load-tests/holiday/cli.ts "$@"
