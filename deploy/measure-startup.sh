#!/usr/bin/env bash
# Start-up time to first MQTT publish and resident memory of a published gateway on the demo line.
# Usage: deploy/measure-startup.sh [--dir artifacts/publish/linux-x64] [--settle 20] [--runs 3]
# Starts the published `edgeops` (self-contained, from deploy/publish.sh) with a scratch data directory, its
# embedded broker and web API on free loopback ports; a `mosquitto_sub` subscribed before the gateway starts
# times the first message on edgeops/#. After --settle seconds it reads VmRSS and VmHWM from /proc/<pid>/status.
# Prints one line per run: "run <n> first_publish_ms <ms> rss_mb <MB> hwm_mb <MB>". Needs mosquitto-clients.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/artifacts/publish/linux-x64"
settle=20
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "measure-startup.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$dir/edgeops" ] || { echo "measure-startup.sh: no $dir/edgeops: run deploy/publish.sh --rid linux-x64 first" >&2; exit 2; }
command -v mosquitto_sub >/dev/null || { echo "measure-startup.sh: mosquitto_sub missing (apt install mosquitto-clients)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

for run in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  mqtt=$(free_port); web=$(free_port)
  start_ns=$(date +%s%N)
  (cd "$dir" && exec ./edgeops --data "$data" --EdgeOps:Mqtt:EmbeddedPort="$mqtt" \
      --EdgeOps:Web:Urls="http://127.0.0.1:$web" --EdgeOps:ConsoleSummaryInterval=00:00:00 >"$data/out.log" 2>&1) &
  pid=$!
  # The embedded broker starts with the gateway: poll until the subscriber connects, then wait for one message.
  first_ns=""
  for _ in $(seq 1 600); do
    if out=$(mosquitto_sub -i "measure-$$-$run" -h 127.0.0.1 -p "$mqtt" -t 'edgeops/#' -C 1 -W 30 -F '%t' 2>/dev/null); then
      first_ns=$(date +%s%N); break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "gateway exited:"; cat "$data/out.log"; exit 1; }
    sleep 0.05
  done
  [ -n "$first_ns" ] || { echo "no message within 30 s"; kill "$pid"; exit 1; }
  sleep "$settle"
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status"); hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  echo "run $run first_publish_ms $(( (first_ns - start_ns) / 1000000 )) rss_mb $((rss / 1024)) hwm_mb $((hwm / 1024)) first_topic $out"
  rm -rf "$data"
done
