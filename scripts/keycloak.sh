#!/usr/bin/env bash
# A real Keycloak for the SSO tests: fetched from Maven Central, unpacked and augmented once into a cache, then
# started in dev mode on loopback with free ports and stopped by SIGTERM to the kc.sh it started.
#
#   scripts/keycloak.sh prepare        fetch + unpack + augment (once, cached); prints the home directory, which
#                                      the Java tests read from WARM_KEYCLOAK_HOME
#   scripts/keycloak.sh start DIR      start a server whose data lives in DIR (created) from $WARM_KEYCLOAK_HOME
#                                      when set, else from the prepared cache; waits for /health/ready; writes
#                                      DIR/kc.env (KC_URL, KC_MANAGEMENT_URL, KC_PID, KC_ADMIN_USER) and
#                                      DIR/admin-password, DIR/admin-client-secret (0600; the admin user is
#                                      'admin', the admin service-account client 'warm-test-admin'); prints KC_URL
#   scripts/keycloak.sh stop DIR       SIGTERM to the server started in DIR, wait for it (bounded)
#
# Environment: WARM_KEYCLOAK_VERSION (26.5.6), WARM_KEYCLOAK_CACHE (/var/cache/cc-ci-warm),
# JAVA_OPTS_KC_HEAP (-Xms64m -Xmx256m), WARM_KEYCLOAK_READY_SECONDS (180).
set -euo pipefail

VERSION=${WARM_KEYCLOAK_VERSION:-26.5.6}
CACHE=${WARM_KEYCLOAK_CACHE:-/var/cache/cc-ci-warm}
HOME_DIR="$CACHE/keycloak-$VERSION"
READY_SECONDS=${WARM_KEYCLOAK_READY_SECONDS:-180}
export JAVA_OPTS_KC_HEAP=${JAVA_OPTS_KC_HEAP:-"-Xms64m -Xmx256m"}
# Build-time options are fixed: any difference from the augmented tree would trigger a slow re-augmentation.
# The Java fixture (warm.core.sso.KeycloakServer in the tests) passes exactly the same ones.
BUILD_OPTS=(--health-enabled=true)

log() { echo "keycloak.sh: $*" >&2; }
die() { log "$*"; exit 1; }

free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# Starts kc.sh in the background; sets KC_PID, KC_URL, KC_MANAGEMENT_URL. $1 = home, $2 = data dir, $3 = log file.
# The bootstrap admin (user admin, service-account client warm-test-admin) applies only when the data is new.
launch() {
  local home=$1 data=$2 logf=$3 port mport
  port=$(free_port); mport=$(free_port)
  [ "$port" != "$mport" ] || mport=$(free_port)
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$data/admin-password")" \
    KC_BOOTSTRAP_ADMIN_CLIENT_ID=warm-test-admin KC_BOOTSTRAP_ADMIN_CLIENT_SECRET="$(cat "$data/admin-client-secret")" \
    setsid "$home/bin/kc.sh" start-dev "${BUILD_OPTS[@]}" --http-host=127.0.0.1 --http-port="$port" \
    --http-management-port="$mport" --db-url-path="$data" >"$logf" 2>&1 </dev/null &
  KC_PID=$!
  KC_URL="http://127.0.0.1:$port"
  KC_MANAGEMENT_URL="http://127.0.0.1:$mport"
}

wait_ready() { # $1 = management url, $2 = pid, $3 = log
  local deadline=$((SECONDS + READY_SECONDS))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS -o /dev/null "$1/health/ready" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { tail -30 "$3" >&2; die "Keycloak exited before it was ready (log: $3)"; }
    sleep 0.5
  done
  tail -30 "$3" >&2
  die "Keycloak not ready after ${READY_SECONDS}s (log: $3)"
}

stop_pid() { # $1 = pid of kc.sh: SIGTERM (kc.sh forwards it to java), wait, then SIGKILL the group
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "Keycloak (pid $pid) ignored SIGTERM for 30 s: killing its process group"
  kill -KILL -- "-$pid" 2>/dev/null || true
}

random_secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }

# $1 = dir: a data directory for one server. Seeded from the template (a database whose schema and master realm
# already exist: ~10 s to ready instead of ~30 s), else fresh credentials for a first start.
new_data_dir() {
  local dir=$1 template=${2:-}
  mkdir -p "$dir"; chmod 700 "$dir"
  if [ -n "$template" ] && [ -d "$template/data" ] && [ ! -e "$dir/data" ]; then
    cp -a "$template/data" "$template/admin-password" "$template/admin-client-secret" "$dir/"
    rm -f "$dir"/data/h2/*.lock.db "$dir"/data/h2/*.trace.db
  fi
  (umask 077
   [ -s "$dir/admin-password" ] || random_secret >"$dir/admin-password"
   [ -s "$dir/admin-client-secret" ] || random_secret >"$dir/admin-client-secret")
}

# Starts and stops a server once on fresh data in $2 (the first start also augments a fresh tree).
first_start() { # $1 = home, $2 = data dir
  new_data_dir "$2"
  launch "$1" "$2" "$2/first-start.log"
  wait_ready "$KC_MANAGEMENT_URL" "$KC_PID" "$2/first-start.log"
  stop_pid "$KC_PID"
  wait "$KC_PID" 2>/dev/null || true
  rm -f "$2/first-start.log" "$2"/data/h2/*.lock.db "$2"/data/h2/*.trace.db
}

prepare() {
  if [ -f "$HOME_DIR/.warm-augmented" ] && [ -d "$HOME_DIR/.warm-template/data" ]; then echo "$HOME_DIR"; return; fi
  mkdir -p "$CACHE"
  exec 9>"$CACHE/keycloak-$VERSION.lock"
  flock 9
  if [ ! -f "$HOME_DIR/.warm-augmented" ]; then
    local zip tmp dl
    # Maven keeps the zip in the local repository (~/.m2), so a fresh unpack after a cache wipe downloads nothing.
    dl=$(mktemp -d)
    log "fetching org.keycloak:keycloak-quarkus-dist:$VERSION:zip through Maven"
    mvn -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$VERSION:zip" -DoutputDirectory="$dl" >&2
    zip="$dl/keycloak-quarkus-dist-$VERSION.zip"
    [ -f "$zip" ] || die "no $zip after the Maven fetch"
    tmp="$CACHE/.keycloak-$VERSION.tmp"
    rm -rf "$tmp"; mkdir -p "$tmp"
    log "unpacking $zip"
    if command -v unzip >/dev/null; then
      (cd "$tmp" && unzip -q "$zip")
    else # the JDK's jar needs no extra package, but drops the executable bits
      (cd "$tmp" && jar xf "$zip" && chmod +x "keycloak-$VERSION"/bin/*.sh)
    fi
    [ -x "$tmp/keycloak-$VERSION/bin/kc.sh" ] || die "unexpected zip layout: no keycloak-$VERSION/bin/kc.sh"
    # Augment once with the fixed build options: a first start-dev does it (then restarts itself); its data
    # becomes the template every later start copies.
    log "augmenting and seeding the template (first start, 20-45 s)"
    first_start "$tmp/keycloak-$VERSION" "$tmp/template"
    rm -rf "$tmp/keycloak-$VERSION/data"
    mv "$tmp/template" "$tmp/keycloak-$VERSION/.warm-template"
    touch "$tmp/keycloak-$VERSION/.warm-augmented"
    rm -rf "$HOME_DIR"
    mv "$tmp/keycloak-$VERSION" "$HOME_DIR"
    rm -rf "$tmp" "$dl"
  elif [ ! -d "$HOME_DIR/.warm-template/data" ]; then
    log "seeding the template (one start on fresh data, 20-45 s)"
    rm -rf "$CACHE/.template-$VERSION.tmp"
    first_start "$HOME_DIR" "$CACHE/.template-$VERSION.tmp"
    rm -rf "$HOME_DIR/.warm-template"
    mv "$CACHE/.template-$VERSION.tmp" "$HOME_DIR/.warm-template"
  fi
  echo "$HOME_DIR"
}

start() {
  local dir=${1:?usage: keycloak.sh start DIR} home
  # A tree prepared earlier (and exported as WARM_KEYCLOAK_HOME) is used as is.
  if [ -n "${WARM_KEYCLOAK_HOME:-}" ] && [ -f "$WARM_KEYCLOAK_HOME/.warm-augmented" ]; then
    home=$WARM_KEYCLOAK_HOME
  else
    home=$(prepare)
  fi
  new_data_dir "$dir" "$home/.warm-template"
  launch "$home" "$dir" "$dir/keycloak.log"
  {
    echo "KC_URL=$KC_URL"
    echo "KC_MANAGEMENT_URL=$KC_MANAGEMENT_URL"
    echo "KC_PID=$KC_PID"
    echo "KC_ADMIN_USER=admin"
  } >"$dir/kc.env"
  wait_ready "$KC_MANAGEMENT_URL" "$KC_PID" "$dir/keycloak.log"
  echo "$KC_URL"
}

stop() {
  local dir=${1:?usage: keycloak.sh stop DIR} pid
  [ -f "$dir/kc.env" ] || die "no $dir/kc.env: nothing started there"
  pid=$(sed -n 's/^KC_PID=//p' "$dir/kc.env")
  stop_pid "$pid"
}

case "${1:-}" in
  prepare) prepare ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 prepare | start DIR | stop DIR" >&2; exit 2 ;;
esac
