#!/usr/bin/env bash
# `npm run dev`: the edit-refresh loop. Like `npm start` (services, schema, demo catalog, web +
# worker + local mailbox) but from the TypeScript sources, with no build: each process is
# restarted by Node's watch mode when a file under src/ changes. Templates and site folders
# reload without a restart (TEMPLATE_WATCH, on in development). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh up

# swc strips the types as each module loads: no type check here (the editor, `npm run
# typecheck` and `npm run lint` do that), and a restart takes what loading the modules takes.
from_sources=(--import @swc-node/register/esm-register)
watching=(--watch-path=src --watch-preserve-output "${from_sources[@]}")
node "${from_sources[@]}" src/cli.ts migrate
node "${from_sources[@]}" src/cli.ts seed --if-empty

export PORT="${PORT:-8080}"
# One process: a cluster's workers would each be restarted and each load the sources.
export WEB_CONCURRENCY=1
sink=""
if [[ -z "${SMTP_URL:-}" ]]; then
  # Development mail goes to a local mailbox, never to the internet.
  node "${from_sources[@]}" scripts/mail-sink.ts &
  sink=$!
fi
node "${watching[@]}" src/main.ts &
web=$!
node "${watching[@]}" src/worker.ts &
worker=$!
stop() {
  kill -TERM "$web" "$worker" $sink 2>/dev/null || true
  wait "$web" "$worker" $sink 2>/dev/null || true
}
trap stop INT TERM EXIT

for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:${PORT}/health/live" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
cat <<URLS

  Development mode: web and worker restart when a file under src/ changes.
    Ecardia (flagship)          http://localhost:${PORT}   (also http://ecardia.localhost:${PORT})
    Kindred Paper Co. (partner) http://kindred.localhost:${PORT}
    Merry Post (en-GB)          http://merrypost.localhost:${PORT}
  Mail goes to a local mailbox (.data/dev/mail/). Ctrl-C stops everything.

URLS
wait -n "$web" "$worker"
