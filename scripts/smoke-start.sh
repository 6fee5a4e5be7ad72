#!/usr/bin/env bash
# Starts the assistant exactly as the README says (`npm start`) on a scratch data folder and checks that it
# becomes ready (conversations over HTTP are covered by the end-to-end tests). Exits non-zero, with the
# server's log, when it does not.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d)
log_file="$data_dir/server.log"
port=${SMOKE_PORT:-39781}
# Its own process group, so stopping it reaches node and not only npm (npm does not pass SIGTERM on).
DATA_DIR="$data_dir" PORT="$port" setsid npm start >"$log_file" 2>&1 &
server_pid=$!
cleanup() {
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    curl -fsS "http://127.0.0.1:$port/readyz"
    echo
    # The chat page and its Web Chat bundle are what a new user opens first.
    curl -fsS "http://127.0.0.1:$port/" | grep -q '/vendor/webchat.js' || { echo "smoke: no chat page" >&2; exit 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$port/vendor/webchat.js" || { echo "smoke: no Web Chat bundle" >&2; exit 1; }
    curl -fsS -X POST "http://127.0.0.1:$port/api/directline/token" | grep -q '"token"' || { echo "smoke: no Direct Line token" >&2; exit 1; }
    echo "smoke: ready on port $port, chat page and Direct Line up"
    exit 0
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 1
done
echo "smoke: the server did not become ready; its log:" >&2
cat "$log_file" >&2
exit 1
