# Sourced by the benchmark scripts: starts release `thingstead serve`
# processes on port 0 and reads their addresses from the ready line.
#
# launch NAME DIR [serve flags...]: starts a server with data directory DIR
# (its log in DIR/server.log), waits until it is ready, and sets `pid`,
# `http` and `mqtt` (127.0.0.1:port). Exits the script if it does not start.
launch() {
  local name="$1" dir="$2"
  shift 2
  mkdir -p "$dir"
  local log="$dir/server.log"
  ./target/release/thingstead serve --http-listen 127.0.0.1:0 \
    --mqtt-listen 127.0.0.1:0 --tcp-listen 127.0.0.1:0 \
    --data-dir "$dir" --log-level "warn,thingstead_server::start=info" "$@" >"$log" 2>&1 &
  pid=$!
  local ready=""
  for _ in $(seq 1 300); do
    ready="$(grep -m1 'thingstead is ready' "$log" || true)"
    [ -n "$ready" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "$name did not start:"; cat "$log"; exit 1; }
  # Text (key=value) or JSON ("key":"value") log lines.
  http="$(grep -oE 'http[^0-9a-z_]{1,4}127\.0\.0\.1:[0-9]+' <<<"$ready" | grep -oE '127\.0\.0\.1:[0-9]+' | head -n1)"
  mqtt="$(grep -oE 'mqtt[a-z_]*[^0-9a-z_]{1,4}127\.0\.0\.1:[0-9]+' <<<"$ready" | grep -oE '127\.0\.0\.1:[0-9]+' | head -n1)"
  [ -n "$http" ] && [ -n "$mqtt" ] || { echo "no HTTP or MQTT address in: $ready"; exit 1; }
  echo "$name (pid $pid): HTTP $http, MQTT $mqtt"
}
