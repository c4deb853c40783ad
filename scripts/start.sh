#!/usr/bin/env bash
# `npm start`: local services, schema, demo catalog, then the web and worker processes in the
# foreground. Ctrl-C stops both (the data services keep running; `npm run services -- down`).
#
# `npm run dev` (--watch): the same from the TypeScript sources, with no build, each process
# restarted by Node's watch mode when a file under src/ changes. swc strips the types as each
# module loads, so nothing is type-checked on the way (the editor, `npm run typecheck` and
# `npm run lint` do that). Templates reload without a restart (TEMPLATE_WATCH, development).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [[ ${1:-} == --watch ]]; then
  from_sources=(node --import @swc-node/register/esm-register)
  cli=("${from_sources[@]}" src/cli.ts)
  watching=(--watch-path=src --watch-preserve-output)
  run_web=("${from_sources[@]}" "${watching[@]}" src/main.ts)
  run_worker=("${from_sources[@]}" "${watching[@]}" src/worker.ts)
  # One process: each cluster worker would be restarted and load the sources on every edit.
  export WEB_CONCURRENCY=1
else
  npm run --silent build
  cli=(node dist/src/cli.js)
  # The processes as deployed, node flags included: package.json's `web` and `worker` scripts.
  read -r -a run_web <<<"$(node -p "require('./package.json').scripts.web")"
  read -r -a run_worker <<<"$(node -p "require('./package.json').scripts.worker")"
fi
bash scripts/services.sh up
"${cli[@]}" migrate
# A few hundred generated cards besides the hand-written ones: every site has occasions of
# several pages. Only cards not there yet are written, so edits made while developing stay.
"${cli[@]}" seed --cards 400 --only-missing

export PORT="${PORT:-8080}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-1}"
export MAIL_INBOX_PORT="${MAIL_INBOX_PORT:-1080}"
sink=""
mail="Mail goes to SMTP_URL (${SMTP_URL:-})."
if [[ -z "${SMTP_URL:-}" ]]; then
  mail="Mail goes to a local inbox: http://127.0.0.1:${MAIL_INBOX_PORT}/ (pickup links print here too)."
  # Development mail goes to a local mailbox, never to the internet.
  node --import @swc-node/register/esm-register scripts/mail-sink.ts &
  sink=$!
fi
"${run_web[@]}" &
web=$!
"${run_worker[@]}" &
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
admin="your ADMIN_TOKEN"
if [[ -z "${ADMIN_TOKEN:-}" ]]; then admin="development-only-admin-token, the development ADMIN_TOKEN"; fi
cat <<URLS

  The demo sites are up:
    Ecardia (flagship)          http://localhost:${PORT}   (also http://ecardia.localhost:${PORT})
    Kindred Paper Co. (partner) http://kindred.localhost:${PORT}
    Merry Post (en-GB)          http://merrypost.localhost:${PORT}
  ${mail}
  Admin: http://localhost:${PORT}/admin/queues/ and /admin/flags (any user name;
    password: ${admin}).
  Development send limits: 100 cards an hour per connection and per sender (docs/development.md).
  Ctrl-C stops the web and worker processes.

URLS
wait -n "$web" "$worker"
