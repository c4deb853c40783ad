#!/usr/bin/env bash
# `npm run load:scale-out`: installs HAProxy (Debian's package) when it is missing, then runs
# load-tests/holiday/scale-out.ts: HAProxy on loopback in front of two web groups and a worker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if ! command -v haproxy >/dev/null 2>&1 && [[ ! -x /usr/sbin/haproxy ]]; then
  command -v apt-get >/dev/null || { echo "install haproxy (2.4+) with your package manager" >&2; exit 1; }
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "need root or sudo to apt-get install haproxy" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "installing haproxy (apt)..."
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi
exec node --import @swc-node/register/esm-register load-tests/holiday/scale-out.ts "$@"
