#!/usr/bin/env bash
# `npm test`: everything the suite needs on a fresh Debian/Ubuntu machine, then jest, then (when
# run without arguments) the fault suite. Jest starts its own test-profile services (see
# test/support/global-setup.mjs); the fault suite starts and stops its own chaos-profile ones.
# `npm test -- <pattern>` runs only the matching jest files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if ! command -v chromium >/dev/null 2>&1 && [[ -z "${CHROMIUM_PATH:-}" ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser test..."
    SUDO=""
    [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "chromium is missing: install it, or set CHROMIUM_PATH to a Chromium binary" >&2
    exit 1
  fi
fi
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning" \
  npx jest "$@"
if [[ $# -eq 0 ]]; then
  npm run test:chaos
fi
