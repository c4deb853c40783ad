#!/usr/bin/env bash
# Local data services for development and tests, all on 127.0.0.1:
# a MariaDB primary, a read-only MariaDB replica (GTID replication), the Redis of queues and
# state (`redis`, never evicts) and the Redis of caches (`redis-cache`, evicts when full).
#
#   scripts/services.sh [--profile dev|test|chaos] up|down|status|reset
#   scripts/services.sh [--profile dev|test|chaos] start|stop primary|replica|redis|redis-cache
#
# Profile: --profile, else APP_STAGE=test => test, else dev. `chaos` is the fault suite's
# own set (test/chaos), killed and restarted without disturbing dev or test. Data and run
# files (pid, socket, logs) live in <repo>/.data/<profile>/. `up` leaves a service
# alone when its URL (DATABASE_URL / REDIS_URL, REDIS_QUEUE_URL / REDIS_CACHE_URL) is already
# set, unless SERVICES_MANAGED=1. SERVICES_TIMEOUT / SERVICES_STOP_TIMEOUT tune the waits;
# SERVICES_CACHE_MAXMEMORY (default 64mb) bounds the cache Redis. SERVICES_DIR (data and run
# files) and SERVICES_PORTS (primary,replica,redis,redis-cache) run a profile elsewhere, e.g. a
# private copy beside one others use.
#
# Credentials: `up` makes random passwords once per profile, for the application's MariaDB
# user and for both Redis (requirepass), in <data>/credentials.env (mode 600, git-ignored);
# the app reads them from there when its URLs are unset. Services made by an older version
# without passwords get them set on the next `up`. DEV/TEST ONLY: everything binds to
# loopback and the data is throw-away. Never reuse this for anything real.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROFILE=dev
[[ ${APP_STAGE:-} == test ]] && PROFILE='test'
if [[ ${1:-} == --profile ]]; then PROFILE=${2:-}; shift 2 || shift; fi

declare -A PORT
# MariaDB's ports sit below Linux's ephemeral range (32768-60999): a port inside it can be held
# for a minute by an outgoing loopback connection's TIME_WAIT, and the server then fails to bind
# although nothing listens there. Redis's ports are above the range.
case $PROFILE in
  # The grant patterns let tests create and drop their own ecard_test_* databases.
  dev) PORT=([primary]=23061 [replica]=23062 [redis]=63791 [redis-cache]=63792) DB=ecard DB_GRANT='ecard%' ;;
  test) PORT=([primary]=23071 [replica]=23072 [redis]=63801 [redis-cache]=63802) DB=ecard_test DB_GRANT='ecard\_test%' ;;
  chaos) PORT=([primary]=23081 [replica]=23082 [redis]=63811 [redis-cache]=63812) DB=ecard_chaos DB_GRANT='ecard\_chaos%' ;;
  *) echo "services.sh: unknown profile '$PROFILE' (dev|test|chaos)" >&2; exit 2 ;;
esac
if [[ -n ${SERVICES_PORTS:-} ]]; then
  IFS=, read -r 'PORT[primary]' 'PORT[replica]' 'PORT[redis]' 'PORT[redis-cache]' <<<"$SERVICES_PORTS"
fi
DATA=${SERVICES_DIR:-$ROOT/.data/$PROFILE}
CREDENTIALS=$DATA/credentials.env
RUN=$DATA/run
SOCK_DIR=$RUN
# Unix socket paths are limited to ~107 bytes; deep checkouts fall back to /tmp.
if ((${#RUN} > 80)); then
  SOCK_DIR=/tmp/ecard-services-$(id -u)-$(printf %s "$RUN" | cksum | cut -d' ' -f1)
fi
TIMEOUT=${SERVICES_TIMEOUT:-60}
STOP_TIMEOUT=${SERVICES_STOP_TIMEOUT:-15}
ME=$(id -un)
unset MYSQL_PWD MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT REDISCLI_AUTH

say() { printf '%s\n' "$*"; }
warn() { printf 'services.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }
sock() { printf '%s/%s.sock' "$SOCK_DIR" "$1"; }
# redis-cli with the profile's password, passed through the environment (not the command line).
redis_cli() { local name=$1; shift; REDISCLI_AUTH=$REDIS_PASSWORD "$REDIS_CLI" --no-auth-warning -h 127.0.0.1 -p "${PORT[$name]}" "$@"; }

random_secret() { local s; s=$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9'); printf '%s' "${s:0:32}"; }
credential() { { sed -n "s/^$1=//p" "$CREDENTIALS" 2>/dev/null || true; } | head -n 1; }

# Made once; kept when present, so the running servers and the app agree on them.
ensure_credentials() {
  if [[ -z $(credential DB_PASSWORD) || -z $(credential REDIS_PASSWORD) ]]; then
    mkdir -p "$DATA"
    (umask 077 && printf '# Made by scripts/services.sh for the local %s services; never commit.\nDB_PASSWORD=%s\nREDIS_PASSWORD=%s\n' \
      "$PROFILE" "$(random_secret)" "$(random_secret)" >"$CREDENTIALS.tmp") && mv "$CREDENTIALS.tmp" "$CREDENTIALS"
    say "made passwords for the $PROFILE services in $CREDENTIALS"
  fi
  DB_PASSWORD=$(credential DB_PASSWORD) REDIS_PASSWORD=$(credential REDIS_PASSWORD)
}

# Services made before they had passwords (or a lost credentials file) get the file's password.
secure_app_user() {
  MYSQL_PWD=$DB_PASSWORD "$MARIADB" --no-defaults --protocol=TCP -h 127.0.0.1 -P "${PORT[primary]}" \
    -u ecard -N -B -e 'SELECT 1' >/dev/null 2>&1 && return 0
  say "primary: setting the password of the application user (from $CREDENTIALS)"
  sql primary -e "ALTER USER 'ecard'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
    ALTER USER 'ecard'@'localhost' IDENTIFIED BY '$DB_PASSWORD';"
}
secure_redis() {
  local name=$1
  [[ $("$REDIS_CLI" -h 127.0.0.1 -p "${PORT[$name]}" ping 2>/dev/null) == PONG ]] || return 0
  say "$name: setting its password (from $CREDENTIALS); the next start reads it from $RUN/$name.conf"
  printf '%s' "$REDIS_PASSWORD" | "$REDIS_CLI" -h 127.0.0.1 -p "${PORT[$name]}" -x config set requirepass >/dev/null
}

# Debian keeps the daemons in /usr/sbin, which is not on a normal user's PATH.
find_bin() {
  local c
  for c in "$@"; do
    command -v "$c" 2>/dev/null && return 0
    [[ -x /usr/sbin/$c ]] && { printf '/usr/sbin/%s\n' "$c"; return 0; }
  done
  return 1
}
resolve_bins() {  # fails if any is missing; the missing ones stay empty
  local ok=0
  MARIADBD=$(find_bin mariadbd mysqld) || ok=1
  INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db) || ok=1
  MARIADB=$(find_bin mariadb mysql) || ok=1
  MARIADB_ADMIN=$(find_bin mariadb-admin mysqladmin) || ok=1
  REDIS_SERVER=$(find_bin redis-server) || ok=1
  REDIS_CLI=$(find_bin redis-cli) || ok=1
  return "$ok"
}

ensure_installed() {
  resolve_bins && return 0
  if ! command -v apt-get >/dev/null; then
    die "MariaDB (server + client, 10.6+) and Redis (7+) are needed: install them with your package manager,
or set DATABASE_URL and REDIS_URL to your own servers, and then this script starts nothing."
  fi
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root or sudo to apt-get install mariadb-server mariadb-client redis-server"
    sudo=(sudo)
  fi
  say "installing mariadb-server mariadb-client redis-server (apt)..."
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    mariadb-server mariadb-client redis-server
  resolve_bins || die "packages installed but binaries still not found"
}

# Pid of our own instance, if alive. Checking the port in /proc/PID/cmdline keeps a
# recycled pid from being mistaken for (and killed as) our server; zombies count as dead.
live_pid() {
  local pid state cmd
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" || return 1
  [[ $state != Z ]] || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $cmd == *"${PORT[$1]}"* ]] || return 1
  printf '%s\n' "$pid"
}
pid_alive() { local state; read -r _ _ state _ 2>/dev/null <"/proc/$1/stat" && [[ $state != Z ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
sql() { local name=$1; shift; "$MARIADB" --no-defaults --socket="$(sock "$name")" -N -B "$@"; }
answers() {
  case $1 in
    redis | redis-cache) [[ $(redis_cli "$1" ping 2>/dev/null) == PONG ]] ;;
    *) "$MARIADB_ADMIN" --no-defaults --socket="$(sock "$1")" ping >/dev/null 2>&1 ;;
  esac
}

fail_with_log() {
  local log=$RUN/$1.err
  [[ $1 == redis* ]] && log=$RUN/$1.log
  warn "$1: $2; last lines of $log:"
  tail -n 25 "$log" >&2 2>/dev/null || true
  exit 1
}

# Poll until the freshly launched server answers; bail out early if it died.
wait_ready() {
  local name=$1 pid=$2 deadline=$((SECONDS + TIMEOUT))
  until answers "$name"; do
    pid_alive "$pid" || fail_with_log "$name" "exited during startup"
    if [[ $name == redis* ]] && [[ $(redis_cli "$name" ping 2>&1) == *WRONGPASS* ]]; then
      die "$name refuses the password in $CREDENTIALS; '$0 --profile $PROFILE reset' starts afresh"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name" "not answering after ${TIMEOUT}s"
    sleep 0.1
  done
}

# Initialise into a temp dir and rename, so an interrupted init never leaves a
# half-made datadir that later starts look like a real one.
init_datadir() {
  local name=$1 dir=$DATA/$1
  [[ -d $dir/mysql ]] && return 0
  [[ -e $dir ]] && die "$dir exists but is not a MariaDB datadir; run '$0 --profile $PROFILE reset'"
  rm -rf "$dir.init" && mkdir -p "$dir.init"
  "$INSTALL_DB" --no-defaults --user="$ME" --datadir="$dir.init" --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$RUN/$name-install.log" 2>&1 ||
    { tail -n 25 "$RUN/$name-install.log" >&2; die "mariadb-install-db failed for $name"; }
  mv "$dir.init" "$dir"
}

launch_mariadb() {
  local name=$1 id=1 extra=(--innodb-flush-log-at-trx-commit=1)
  # The replica may lose its last second on an OS crash (not on a kill): that is fine for
  # a copy, and read_only keeps the app user (no SUPER / READ ONLY ADMIN) from writing.
  [[ $name == replica ]] && id=2 extra=(--innodb-flush-log-at-trx-commit=2 --read-only=ON)
  # Test files that run workers get databases of their own (ecard_test_<run>_<name>) and read
  # them from the primary alone: replaying their schemas and writes only held the replica back
  # from the run's own database, which the tests do read from it.
  [[ $name == replica && $PROFILE == test ]] &&
    extra+=('--replicate-wild-ignore-table=ecard\_test\_%\_%.%')
  init_datadir "$name"
  # --no-defaults first so no /etc or ~/.my.cnf leaks in; --log-basename pins binlog and
  # relay-log names, which would otherwise follow the hostname and break on its change.
  # setsid + closed fds: the server must not die with the caller's terminal nor hold its
  # pipes (a caller reading our stdout would hang) nor our lock (fd 9).
  setsid "$MARIADBD" --no-defaults --log-basename="$name" --user="$ME" --datadir="$DATA/$name" \
    --socket="$(sock "$name")" --pid-file="$RUN/$name.pid" --port="${PORT[$name]}" \
    --bind-address=127.0.0.1 --skip-name-resolve --log-error="$RUN/$name.err" --server-id="$id" \
    --log-bin="$name-bin" --binlog-format=ROW --gtid-strict-mode=ON --log-slave-updates \
    --innodb-buffer-pool-size=128M --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci --max-connections=500 --max-connect-errors=1000000 \
    --slave-net-timeout=10 "${extra[@]}" </dev/null >>"$RUN/$name.out" 2>&1 9>&- &
  local pid=$!
  printf '%s\n' "$pid" >"$RUN/$name.pid"
  wait_ready "$name" "$pid"
}

# Redis runs in the foreground under setsid instead of --daemonize yes: then we know
# its pid at once and notice a failed start (e.g. bind error) without waiting out the timeout.
# `redis` holds queues and state: persisted, and full means refusing writes, never dropping a
# job. `redis-cache` holds what can be rebuilt: bounded, evicting the least recently used.
launch_redis() {
  local name=$1 role
  if [[ $name == redis ]]; then
    role=(--appendonly yes --appendfsync everysec --maxmemory-policy noeviction)
  else
    role=(--appendonly no --maxmemory "${SERVICES_CACHE_MAXMEMORY:-64mb}" --maxmemory-policy allkeys-lru)
  fi
  mkdir -p "$DATA/$name"
  # The password goes in a file, not on the command line, where every local user could read it.
  (umask 077 && printf 'requirepass "%s"\n' "$REDIS_PASSWORD" >"$RUN/$name.conf")
  setsid "$REDIS_SERVER" "$RUN/$name.conf" --port "${PORT[$name]}" --bind 127.0.0.1 --dir "$DATA/$name" \
    "${role[@]}" --save "" \
    --daemonize no --pidfile "$RUN/$name.pid" --logfile "$RUN/$name.log" \
    </dev/null >>"$RUN/$name.out" 2>&1 9>&- &
  local pid=$!
  printf '%s\n' "$pid" >"$RUN/$name.pid"
  wait_ready "$name" "$pid"
}

# Everything is created on the primary (and so binlogged) and reaches the replica by
# replication, which starts from an empty GTID position and replays the whole binlog.
# The database is created last, so its presence means provisioning completed.
provision_primary() {
  [[ -n $(sql primary -e "SHOW DATABASES LIKE '$DB'") ]] && return 0
  sql primary <<SQL
CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'ecard'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'ecard'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL ON \`$DB_GRANT\`.* TO 'ecard'@'127.0.0.1';
GRANT ALL ON \`$DB_GRANT\`.* TO 'ecard'@'localhost';
CREATE DATABASE IF NOT EXISTS \`$DB\`;
SQL
}

declare -A RS
read_replica_state() {
  RS=()
  local k v
  while IFS=: read -r k v; do
    k=${k//[[:space:]]/}
    [[ -n $k ]] && RS[$k]=${v# }
  done < <(sql replica --column-names -e 'SHOW SLAVE STATUS\G' 2>/dev/null || true)
}

# MASTER_CONNECT_RETRY=1 so the replica is back within a second of a primary restart
# (the default is 60 s, far too slow for fault tests).
configure_replica() {
  read_replica_state
  if [[ -z ${RS[Slave_IO_Running]:-} ]]; then
    sql replica -e "SET GLOBAL gtid_slave_pos=''; CHANGE MASTER TO MASTER_HOST='127.0.0.1',
      MASTER_PORT=${PORT[primary]}, MASTER_USER='repl', MASTER_USE_GTID=slave_pos,
      MASTER_CONNECT_RETRY=1; START SLAVE;"
  elif [[ ${RS[Master_Port]:-} != "${PORT[primary]}" ]]; then
    # A replica made when the profile's primary had another port: keep its GTID position.
    sql replica -e "STOP SLAVE; CHANGE MASTER TO MASTER_PORT=${PORT[primary]}; START SLAVE;"
  elif [[ ${RS[Slave_IO_Running]} == No || ${RS[Slave_SQL_Running]} == No ]]; then
    sql replica -e 'START SLAVE' 2>/dev/null || true
  fi
}

# Returns 0 once both replication threads run. With the primary down, the IO thread can
# only be "Connecting": accepted with a note, as it reconnects by itself.
wait_replication() {
  local limit=$1 deadline=$((SECONDS + $1)) io sqlt
  while :; do
    read_replica_state
    io=${RS[Slave_IO_Running]:-} sqlt=${RS[Slave_SQL_Running]:-}
    [[ $io == Yes && $sqlt == Yes ]] && return 0
    if [[ $sqlt == No && -n ${RS[Last_SQL_Error]:-} ]]; then
      warn "replica SQL thread stopped: ${RS[Last_SQL_Error]}"; return 1
    fi
    if [[ $sqlt == Yes && $io == Connecting ]] && ! live_pid primary >/dev/null; then
      warn "replica: primary is down; replication resumes when it is back"; return 0
    fi
    if ((SECONDS >= deadline)); then
      warn "replica threads not running after ${limit}s (io=$io sql=$sqlt): ${RS[Last_IO_Error]:-}"
      return 1
    fi
    sleep 0.1
  done
}

address() {
  local p=${PORT[$1]} url="mysql://ecard@127.0.0.1:${PORT[$1]}/$DB"
  [[ $1 == replica ]] && url+=" (read-only)"
  [[ $1 == redis* ]] && url="redis://127.0.0.1:$p"
  printf '%-11s 127.0.0.1:%s  %s\n' "$1" "$p" "$url"
}

start_service() {
  local name=$1 launched=0
  if ! live_pid "$name" >/dev/null; then
    port_open "${PORT[$name]}" && die "$name: port ${PORT[$name]} is taken by another process"
    rm -f "$(sock "$name")"
    if [[ $name == redis* ]]; then launch_redis "$name"; else launch_mariadb "$name"; fi
    launched=1
  elif ! answers "$name"; then
    wait_ready "$name" "$(live_pid "$name")"  # a start still in progress
  fi
  case $name in
    redis*) secure_redis "$name" ;;
    primary)
      provision_primary
      secure_app_user
      # Fault tests restart the primary and expect replication to carry on at once.
      if ((launched)) && live_pid replica >/dev/null; then wait_replication 10 || true; fi ;;
    replica) configure_replica; wait_replication "$TIMEOUT" || fail_with_log replica "replication not running" ;;
  esac
  address "$name"
}

# SIGTERM for a clean shutdown; SIGKILL if it hangs; done only once the port is closed.
stop_service() {
  local name=$1 pid i deadline
  if pid=$(live_pid "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 20; i++)); do pid_alive "$pid" || break; sleep 0.05; done
    if pid_alive "$pid"; then
      warn "$name ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do pid_alive "$pid" || break; sleep 0.05; done
      pid_alive "$pid" && die "$name (pid $pid) survived SIGKILL"
    fi
  fi
  rm -f "$RUN/$name.pid" "$(sock "$name")"
  deadline=$((SECONDS + 5))
  while port_open "${PORT[$name]}"; do
    ((SECONDS < deadline)) || die "$name stopped but port ${PORT[$name]} is still open (another process?)"
    sleep 0.05
  done
  printf '%-11s stopped\n' "$name"
}

stop_all() { local s; for s in replica primary redis redis-cache; do stop_service "$s"; done; }

status_line() {
  local name=$1 pid state
  if pid=$(live_pid "$name"); then
    if answers "$name"; then state="running (pid $pid)"; else state="running (pid $pid, not answering)"; fi
    if [[ $name == replica ]]; then
      read_replica_state
      state+="  Slave_IO_Running=${RS[Slave_IO_Running]:-?} Slave_SQL_Running=${RS[Slave_SQL_Running]:-?}"
      state+=" Seconds_Behind_Master=${RS[Seconds_Behind_Master]:-?}"
      [[ -n ${RS[Last_SQL_Error]:-} ]] && state+="  Last_SQL_Error=${RS[Last_SQL_Error]}"
    fi
  elif port_open "${PORT[$name]}"; then state="stopped (port in use by another process)"
  else state=stopped; fi
  printf '%-11s %-6s %s\n' "$name" "${PORT[$name]}" "$state"
}

external() {  # is this service provided from outside (so `up` must not start it)?
  [[ ${SERVICES_MANAGED:-} == 1 ]] && return 1
  case $1 in
    redis) [[ -n ${REDIS_QUEUE_URL:-${REDIS_URL:-}} ]] ;;
    redis-cache) [[ -n ${REDIS_CACHE_URL:-${REDIS_URL:-}} ]] ;;
    *) [[ -n ${DATABASE_URL:-} ]] ;;
  esac
}

usage() { sed -n '6,7p' "$0" | sed 's/^# *//' >&2; exit 2; }

cmd=${1:-}
mkdir -p "$RUN" "$SOCK_DIR"
# Serialise concurrent calls (e.g. parallel test workers); daemons get fd 9 closed.
if command -v flock >/dev/null; then exec 9>"$RUN/lock"; flock -w 300 9 || die "lock busy"; fi

case $cmd in
  up)
    todo=()
    if external primary; then say "primary/replica: using external DATABASE_URL, not starting MariaDB"
    else todo+=(primary replica); fi
    for s in redis redis-cache; do
      if external "$s"; then say "$s: using the external Redis URL, not starting it"; else todo+=("$s"); fi
    done
    if ((${#todo[@]})); then ensure_installed; ensure_credentials; fi
    for s in "${todo[@]}"; do start_service "$s"; done ;;
  down) resolve_bins || true; stop_all ;;
  status)
    resolve_bins || true
    DB_PASSWORD=$(credential DB_PASSWORD) REDIS_PASSWORD=$(credential REDIS_PASSWORD)
    say "profile $PROFILE, data in $DATA"
    for s in primary replica redis redis-cache; do status_line "$s"; done ;;
  start | stop)
    [[ ${2:-} =~ ^(primary|replica|redis|redis-cache)$ ]] || usage
    if [[ $cmd == start ]]; then ensure_installed; ensure_credentials; start_service "$2"; else resolve_bins || true; stop_service "$2"; fi ;;
  reset)
    resolve_bins || true
    stop_all
    [[ $DATA == "$ROOT/.data/$PROFILE" || -n ${SERVICES_DIR:-} ]] && rm -rf "$DATA"
    [[ $SOCK_DIR == "$RUN" ]] || rm -rf "$SOCK_DIR"
    say "removed $DATA" ;;
  *) usage ;;
esac
