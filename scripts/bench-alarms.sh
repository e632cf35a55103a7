#!/usr/bin/env bash
# Alarm benchmark: one run prints every figure of docs/benchmarks.md section
# "Alarms", with the ratio measured in this run.
#   scripts/bench-alarms.sh [seconds-per-phase]
# Settings (environment):
#   DEVICES=1000      publishing devices
#   RULES=10          alarm rules on the devices' type in the second ingest run
#   ALARM_SECONDS=40  seconds of alternating alarm reports
#   SOURCES=8         client source addresses 127.0.0.1 ..= 127.0.0.N
# Everything runs on this machine, on loopback addresses only, and stops by
# itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/serve.sh
source scripts/lib/serve.sh
seconds="${1:-5}"
devices="${DEVICES:-1000}"
rules="${RULES:-10}"
alarm_seconds="${ALARM_SECONDS:-40}"
sources="${SOURCES:-8}"

ulimit -n 120000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "building release binaries..."
cargo build --release -q -p thingstead-server -p thingstead-bench
bench=./target/release/thingstead-bench

work="$(mktemp -d)"
results="$work/results"
: >"$results"
server=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
cleanup() {
  stop_server
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

# QoS 0 ingest on SQLite, the devices in a type of their own with N rules.
for n in 0 "$rules"; do
  echo "== SQLite: $devices devices publishing attribute reports, $n alarm rules on their type"
  start_server "rules$n"
  db="$data/thingstead.db"
  "$bench" devices-ingest --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
    --devices "$devices" --qos 0 --seconds "$seconds" --sources "$sources" \
    --server-pid "$server" --label "rules$n" --alarm-rules "$n" --probes 0 \
    --warmup 1 \
    --count-cmd "sqlite3 '$db' 'SELECT count(*) FROM device_attribute_history'" | tee -a "$results"
  stop_server
  echo
done

get() { awk -v k="$1" '$1 == "RESULT" && $2 == k {print $3}' "$results" | tail -n1; }
base_rate="$(get rules0_qos0_persisted_per_s)"
background="$(awk -v r="${base_rate:-0}" 'BEGIN { printf "%.0f", r / 2 }')"

# A free port for the push webhook receiver, given to the server first.
hook_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== alarm push latency: one device alternating 35 / 20 every 100 ms, QoS 0 background load at $background/s"
start_server alarms --push-webhook-url "http://127.0.0.1:$hook_port/push"
"$bench" alarm-latency --base "http://$http" --data-dir "$data" --mqtt "$mqtt" \
  --hook-listen "127.0.0.1:$hook_port" --seconds "$alarm_seconds" \
  --background-rate "$background" --background-devices "$devices" --sources "$sources" | tee -a "$results"
stop_server
echo

fmt() { [ -n "$1" ] && printf '%.0f' "$1" || printf 'n/a'; }
verdict() { # verdict VALUE OP LIMIT
  [ -n "$1" ] || { echo "not measured"; return; }
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == ">=") ? v >= l : v < l; if (v != v) ok = 0; print ok ? "met" : "NOT met" }'
}
with_rules="$(get "rules${rules}_qos0_persisted_per_s")"
ratio="$(awk -v a="${with_rules:-0}" -v b="${base_rate:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "" }')"
p99="$(get alarm_push_p99_ms)"
echo "== summary ($devices devices, SQLite, QoS 0)"
printf '%-58s %12s  %s\n' "figure" "measured" "target"
printf '%-58s %12s  %s\n' "persisted reports/s, 0 alarm rules" "$(fmt "$base_rate")" ""
printf '%-58s %12s  %s\n' "persisted reports/s, $rules alarm rules" "$(fmt "$with_rules")" ""
printf '%-58s %12s  %s\n' "ratio $rules rules / 0 rules" "${ratio:-n/a}" ">= 0.9: $(verdict "$ratio" '>=' 0.9)"
printf '%-58s %12s  %s\n' "alarm pushes received / opening reports" "$(fmt "$(get alarm_push_count)") / $(fmt "$(get alarm_push_opened)")" ""
printf '%-58s %12s  %s\n' "p50 report -> push webhook (ms)" "$(printf '%.1f' "$(get alarm_push_p50_ms)")" ""
printf '%-58s %12s  %s\n' "p99 report -> push webhook (ms), load $background/s" "$(printf '%.1f' "$p99")" "< 200: $(verdict "$p99" '<' 200)"
printf '%-58s %12s  %s\n' "max report -> push webhook (ms)" "$(printf '%.1f' "$(get alarm_push_max_ms)")" ""
