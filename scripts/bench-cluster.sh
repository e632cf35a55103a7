#!/usr/bin/env bash
# Cluster benchmark: one run prints every figure of docs/benchmarks.md
# section "Cluster", with the ratio measured in this run.
#   scripts/bench-cluster.sh [seconds-per-step]
# Settings (environment):
#   DEVICES=1000       publishing devices
#   COMMANDS=500       commands measured per device and caller count
#   CALLERS=1,4        concurrent command callers, one level after the other
#   PG_URL=postgres://postgres@127.0.0.1:5432   PostgreSQL server (a fresh
#                      database per part is created and dropped)
#   NATS_URL=nats://127.0.0.1:4222   NATS server (subjects under a prefix
#                      unique to the run)
#   SOURCES=8          client source addresses 127.0.0.1 ..= 127.0.0.N
# Everything runs on this machine, on loopback addresses only, and stops by
# itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/serve.sh
source scripts/lib/serve.sh
seconds="${1:-5}"
devices="${DEVICES:-1000}"
commands="${COMMANDS:-500}"
callers="${CALLERS:-1,4}"
pg_url="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
nats_url="${NATS_URL:-nats://127.0.0.1:4222}"
sources="${SOURCES:-8}"
prefix="bench$$x$(date +%s)"

ulimit -n 120000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "building release binaries..."
cargo build --release -q -p thingstead-server -p thingstead-bench
bench=./target/release/thingstead-bench

work="$(mktemp -d)"
results="$work/results"
: >"$results"
servers=()
pg_db=""
stop_servers() {
  local pid
  for pid in "${servers[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${servers[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  servers=()
}
drop_db() {
  if [ -n "$pg_db" ]; then
    psql "$pg_url/postgres" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
    pg_db=""
  fi
}
cleanup() {
  stop_servers
  drop_db
  rm -rf "$work"
}
trap cleanup EXIT

# fresh_db NAME: creates the database NAME-<pid> and sets pg_db.
fresh_db() {
  pg_db="thingstead_cluster_${1}_$$"
  psql "$pg_url/postgres" -qAtc "CREATE DATABASE $pg_db" >/dev/null
}

# start_node NAME: a cluster node on pg_db and NATS; sets pid, http, mqtt,
# data (its data directory).
start_node() {
  local name="$1"
  data="$work/$name"
  launch "node $name" "$data" --database-url "$pg_url/$pg_db" --nats-url "$nats_url" \
    --nats-subject-prefix "$prefix" --node-id "$name"
  servers+=("$pid")
}

cpu_of() { awk '{ rest = substr($0, index($0, ")") + 2); split(rest, f, " "); printf "%.2f", (f[12] + f[13]) / 100 }' "/proc/$1/stat"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; both nodes, PostgreSQL, NATS and the load generator on the same cores"
echo "NATS $nats_url, subject prefix $prefix"
echo

count_cmd() { echo "psql '$pg_url/$pg_db' -qAtc 'SELECT count(*) FROM device_attribute_history'"; }

echo "== (a) one node: $devices devices publishing attribute reports (QoS 0)"
fresh_db one
start_node a
"$bench" devices-ingest --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
  --devices "$devices" --qos 0 --seconds "$seconds" --sources "$sources" \
  --server-pid "$pid" --label one_node --probes 0 --warmup 1 \
  --count-cmd "$(count_cmd)" | tee -a "$results"
stop_servers
drop_db
echo

echo "== (b) two nodes on one database: the same load, devices spread over both nodes' MQTT listeners"
fresh_db two
start_node a
a_pid="$pid" a_http="$http" a_mqtt="$mqtt" a_data="$data"
start_node b
b_pid="$pid" b_mqtt="$mqtt"
a_cpu0="$(cpu_of "$a_pid")" b_cpu0="$(cpu_of "$b_pid")"
"$bench" devices-ingest --base "http://$a_http" --data-dir "$a_data" --mqtt "$a_mqtt,$b_mqtt" \
  --devices "$devices" --qos 0 --seconds "$seconds" --sources "$sources" \
  --server-pid "$a_pid" --label two_nodes --probes 0 --warmup 1 \
  --count-cmd "$(count_cmd)" | tee -a "$results"
echo "CPU seconds during the ingest: node a $(awk -v x="$a_cpu0" -v y="$(cpu_of "$a_pid")" 'BEGIN { print y - x }'), node b $(awk -v x="$b_cpu0" -v y="$(cpu_of "$b_pid")" 'BEGIN { print y - x }')"
echo

echo "== (c) command round trip: calls to node a, device on node b (cross node) and on node a (same node)"
"$bench" command-latency --base "http://$a_http" --data-dir "$a_data" \
  --mqtt-remote "$b_mqtt" --mqtt-local "$a_mqtt" --commands "$commands" \
  --callers "$callers" --sources "$sources" | tee -a "$results"
stop_servers
drop_db
echo

get() { awk -v k="$1" '$1 == "RESULT" && $2 == k {print $3}' "$results" | tail -n1; }
fmt() { [ -n "$1" ] && printf '%.0f' "$1" || printf 'n/a'; }
ms() { [ -n "$1" ] && printf '%.2f' "$1" || printf 'n/a'; }
verdict() { # verdict VALUE OP LIMIT
  [ -n "$1" ] || { echo "not measured"; return; }
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == ">=") ? v >= l : v < l; if (v != v) ok = 0; print ok ? "met" : "NOT met" }'
}
one="$(get one_node_qos0_persisted_per_s)"
two="$(get two_nodes_qos0_persisted_per_s)"
ratio="$(awk -v a="${two:-0}" -v b="${one:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "" }')"
echo "== summary ($devices devices, PostgreSQL, QoS 0; $commands commands per figure)"
printf '%-58s %12s  %s\n' "figure" "measured" "target"
printf '%-58s %12s  %s\n' "persisted reports/s, one node" "$(fmt "$one")" ""
printf '%-58s %12s  %s\n' "persisted reports/s, two nodes" "$(fmt "$two")" ""
printf '%-58s %12s  %s\n' "ratio two nodes / one node" "${ratio:-n/a}" ""
IFS=',' read -r -a levels <<<"$callers"
for c in "${levels[@]}"; do
  for place in cross_node same_node; do
    k="command_${place}_c${c}"
    target=""
    [ "$place" = cross_node ] && target="< 20: $(verdict "$(get "${k}_p99_ms")" '<' 20)"
    printf '%-58s %12s  %s\n' "command round trip p99 (ms), $place, $c caller(s)" "$(ms "$(get "${k}_p99_ms")")" "$target"
    printf '%-58s %12s  %s\n' "  p50 / max (ms), answered / failed" "$(ms "$(get "${k}_p50_ms")") / $(ms "$(get "${k}_max_ms")")" "$(fmt "$(get "${k}_count")") / $(fmt "$(get "${k}_failed")")"
  done
done
