#!/usr/bin/env bash
# Device benchmark: one run prints every figure of docs/benchmarks.md
# section "Devices", with ratios measured in this run.
#   scripts/bench-devices.sh [seconds-per-phase]
# Settings (environment):
#   DEVICES=1000                 publishing devices per database
#   IDLE_LEVELS=10000,50000      idle connection counts for the memory figures
#   PG_URL=postgres://postgres@127.0.0.1:5432   PostgreSQL server (a fresh
#                                database is created and dropped); PG_URL=
#                                (empty) skips PostgreSQL
#   MOSQUITTO=127.0.0.1:1883     reference broker (anonymous access); empty skips
#   SOURCES=8                    client source addresses 127.0.0.1 ..= 127.0.0.N
# Everything runs on this machine, on loopback addresses only, and stops by
# itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/serve.sh
source scripts/lib/serve.sh
seconds="${1:-10}"
devices="${DEVICES:-1000}"
idle_levels="${IDLE_LEVELS:-10000,50000}"
pg_url="${PG_URL-postgres://postgres@127.0.0.1:5432}"
mosquitto="${MOSQUITTO-127.0.0.1:1883}"
sources="${SOURCES:-8}"

# One descriptor per connection on each side.
ulimit -n 120000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files allowed per process: $(ulimit -n)"

echo "building release binaries..."
cargo build --release -q -p thingstead-server -p thingstead-bench
bench=./target/release/thingstead-bench

work="$(mktemp -d)"
results="$work/results"
: >"$results"
server=""
pg_db=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
cleanup() {
  stop_server
  if [ -n "$pg_db" ]; then
    psql "$pg_url/postgres" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [serve flags...]: sets server, http, mqtt, data.
start_server() {
  local name="$1"
  shift
  data="$work/$name"
  launch "$name server" "$data" "$@"
  server=$pid
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; load generator on the same cores"
echo

if [ -n "$mosquitto" ]; then
  echo "== reference: Mosquitto at $mosquitto routing $devices publishers to one subscriber"
  "$bench" mosquitto-route --broker "$mosquitto" --publishers "$devices" --qos 0,1 \
    --seconds "$seconds" --sources "$sources" | tee -a "$results"
  echo
fi

echo "== SQLite: $devices devices publishing attribute reports"
start_server sqlite
db="$data/thingstead.db"
"$bench" devices-ingest --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
  --devices "$devices" --qos 0,1 --seconds "$seconds" --sources "$sources" \
  --server-pid "$server" --label sqlite \
  --count-cmd "sqlite3 '$db' 'SELECT count(*) FROM device_attribute_history'" | tee -a "$results"
echo "server VmRSS after the run: $(($(awk '/VmRSS/ {print $2}' "/proc/$server/status") / 1024)) MiB"
stop_server
echo

if [ -n "$pg_url" ]; then
  pg_db="thingstead_bench_$$"
  echo "== PostgreSQL: fresh database $pg_db, $devices devices publishing attribute reports"
  psql "$pg_url/postgres" -qAtc "CREATE DATABASE $pg_db" >/dev/null
  start_server postgres --database-url "$pg_url/$pg_db"
  "$bench" devices-ingest --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
    --devices "$devices" --qos 0,1 --seconds "$seconds" --sources "$sources" \
    --server-pid "$server" --label postgres \
    --count-cmd "psql '$pg_url/$pg_db' -qAtc 'SELECT count(*) FROM device_attribute_history'" | tee -a "$results"
  stop_server
  psql "$pg_url/postgres" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
  pg_db=""
  echo
fi

echo "== idle device connections: $idle_levels"
start_server idle
"$bench" devices-idle --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
  --server-pid "$server" --levels "$idle_levels" --sources "$sources" | tee -a "$results"
stop_server
echo

# Summary: targets against this run's figures.
get() { awk -v k="$1" '$1 == "RESULT" && $2 == k {print $3}' "$results" | tail -n1; }
fmt() { [ -n "$1" ] && printf '%.0f' "$1" || printf 'n/a'; }
verdict() { # verdict VALUE OP LIMIT
  [ -n "$1" ] || { echo "not measured"; return; }
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == ">=") ? v >= l : v < l; if (v != v) ok = 0; print ok ? "met" : "NOT met" }'
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }' || echo "n/a"; }

m0="$(get mosquitto_qos0_routed_per_s)"
m1="$(get mosquitto_qos1_routed_per_s)"
s0="$(get sqlite_qos0_persisted_per_s)"
s1="$(get sqlite_qos1_persisted_per_s)"
p0="$(get postgres_qos0_persisted_per_s)"
p1="$(get postgres_qos1_persisted_per_s)"
echo "== summary ($devices devices, ${seconds}-second windows)"
printf '%-58s %12s  %s\n' "figure" "measured" "target"
printf '%-58s %12s  %s\n' "Mosquitto routed msgs/s, QoS 0 publishers" "$(fmt "$m0")" "reference"
printf '%-58s %12s  %s\n' "Mosquitto routed msgs/s, QoS 1 publishers" "$(fmt "$m1")" "reference"
printf '%-58s %12s  %s\n' "SQLite persisted reports/s, QoS 0" "$(fmt "$s0")" ">= 100,000: $(verdict "$s0" '>=' 100000)"
printf '%-58s %12s  %s\n' "SQLite persisted reports/s, QoS 1" "$(fmt "$s1")" ""
printf '%-58s %12s  %s\n' "PostgreSQL persisted reports/s, QoS 0" "$(fmt "$p0")" ""
printf '%-58s %12s  %s\n' "PostgreSQL persisted reports/s, QoS 1" "$(fmt "$p1")" ""
r0="$(ratio "$s0" "$m0")"
r1="$(ratio "$s1" "$m1")"
printf '%-58s %12s  %s\n' "ratio SQLite QoS 0 / Mosquitto QoS 0" "$r0" ">= 1: $(verdict "$r0" '>=' 1)"
printf '%-58s %12s  %s\n' "ratio SQLite QoS 1 / Mosquitto QoS 1" "$r1" ">= 1: $(verdict "$r1" '>=' 1)"
printf '%-58s %12s  %s\n' "ratio PostgreSQL QoS 0 / Mosquitto QoS 0" "$(ratio "$p0" "$m0")" ""
printf '%-58s %12s  %s\n' "ratio PostgreSQL QoS 1 / Mosquitto QoS 1" "$(ratio "$p1" "$m1")" ""
for label in sqlite postgres; do
  v="$(get "${label}_paced_visible_p99_ms")"
  if [ -n "$v" ]; then
    printf '%-58s %12s  %s\n' "$label paced at $(fmt "$(get "${label}_paced_rate_per_s")")/s: p99 publish -> visible (ms)" "$(printf '%.1f' "$v")" "< 50: $(verdict "$v" '<' 50)"
  fi
  for q in 0 1; do
    v="$(get "${label}_qos${q}_visible_p99_ms")"
    [ -n "$v" ] || continue
    printf '%-58s %12s  %s\n' "$label QoS $q at full load: p99 publish -> visible (ms)" "$(printf '%.1f' "$v")" "queue full"
  done
done
for i in 1 2 3; do
  n="$(get "idle_level${i}_connections")"
  [ -n "$n" ] || continue
  printf '%-58s %12s  %s\n' "idle: $(fmt "$n") connections, server VmRSS MiB" "$(printf '%.1f' "$(get "idle_level${i}_rss_mib")")" ""
  per="$(get "idle_level${i}_kib_per_connection")"
  printf '%-58s %12s  %s\n' "idle: $(fmt "$n") connections, KiB per connection" "$(printf '%.2f' "$per")" "<= 10: $(verdict "$per" '<' 10.0001)"
  m="$(get "idle_level${i}_marginal_kib")"
  [ -n "$m" ] && printf '%-58s %12s  %s\n' "idle: KiB per connection added up to $(fmt "$n")" "$(printf '%.2f' "$m")" "<= 10: $(verdict "$m" '<' 10.0001)"
done
