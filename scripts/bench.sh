#!/usr/bin/env bash
# Runs a benchmark against a fresh release server on this machine and
# prints the figures that docs/benchmarks.md records.
#   scripts/bench.sh [identity|project] [seconds-per-phase]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-identity}"
seconds="${2:-10}"
case "$scenario" in identity|project) ;; *) echo "usage: $0 [identity|project] [seconds]"; exit 2 ;; esac

echo "building release binaries..."
cargo build --release -q -p thingstead-server -p thingstead-bench

data="$(mktemp -d)"
log="$data/server.log"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT

./target/release/thingstead serve --http-listen 127.0.0.1:0 --mqtt-listen 127.0.0.1:0 --tcp-listen 127.0.0.1:0 --data-dir "$data/data" >"$log" 2>&1 &
server=$!

addr=""
for _ in $(seq 1 100); do
  addr="$(grep -o '127\.0\.0\.1:[0-9]\+' "$log" | head -n 1 || true)"
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "server did not start:"; cat "$log"; exit 1; }
echo "server on $addr, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

./target/release/thingstead-bench "$scenario" --base "http://$addr" --data-dir "$data/data" --seconds "$seconds"
rss_kib="$(awk '/VmRSS/ {print $2}' "/proc/$server/status")"
echo "server resident memory after the run: $((rss_kib / 1024)) MiB"
