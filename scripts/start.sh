#!/usr/bin/env bash
# `npm start`: local services, schema, demo catalog, then the web and worker processes in the
# foreground. Ctrl-C stops both (the data services keep running; `npm run services -- down`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
bash scripts/services.sh up
node dist/src/cli.js migrate
# A few hundred generated cards besides the hand-written ones: every site has occasions of
# several pages. Only cards not there yet are written, so edits made while developing stay.
node dist/src/cli.js seed --cards 400 --only-missing

export PORT="${PORT:-8080}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-1}"
sink=""
if [[ -z "${SMTP_URL:-}" ]]; then
  # Development mail goes to a local mailbox, never to the internet.
  node --import @swc-node/register/esm-register scripts/mail-sink.ts &
  sink=$!
fi
node --max-semi-space-size=64 dist/src/main.js &
web=$!
node --max-semi-space-size=32 dist/src/worker.js &
worker=$!
stop() {
  kill -TERM "$web" "$worker" $sink 2>/dev/null || true
  wait "$web" "$worker" $sink 2>/dev/null || true
}
trap stop INT TERM EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:${PORT}/health/live" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
cat <<URLS

  The demo sites are up:
    Ecardia (flagship)          http://localhost:${PORT}   (also http://ecardia.localhost:${PORT})
    Kindred Paper Co. (partner) http://kindred.localhost:${PORT}
    Merry Post (en-GB)          http://merrypost.localhost:${PORT}
  Mail goes to a local mailbox: each greeting's subject and pickup link are printed here,
  and the messages are kept in .data/dev/mail/.
  Ctrl-C stops the web and worker processes.

URLS
wait -n "$web" "$worker"
