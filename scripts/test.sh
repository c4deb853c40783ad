#!/usr/bin/env bash
# `npm test`: everything the suite needs on a fresh Debian/Ubuntu machine, then jest, then (when
# run without arguments) the fault suite. Jest starts its own test-profile services (see
# test/support/global-setup.mjs); the fault suite starts and stops its own chaos-profile ones.
# `npm test -- <pattern>` runs only the matching jest files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The browser tests run on Debian's headless shell (lighter than the full browser, same Blink),
# or on its full chromium when the shell cannot be installed.
if ! command -v chromium-headless-shell >/dev/null 2>&1 && [[ -z "${CHROMIUM_PATH:-}" ]]; then
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium's headless shell for the browser tests..."
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      chromium-headless-shell >/dev/null || command -v chromium >/dev/null 2>&1 ||
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        chromium >/dev/null
  elif ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is missing: install chromium-headless-shell, or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning" \
  npx jest "$@"
if [[ $# -eq 0 ]]; then
  npm run test:chaos
fi
