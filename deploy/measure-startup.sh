#!/usr/bin/env bash
# Start to first MQTT message and resident memory: the published gateway on the demo line beside Node-RED 4.1.8, in one
# run on the same machine, each publishing to its own fresh Mosquitto (the same build of it, on a free loopback port).
# Usage: deploy/measure-startup.sh [--dir artifacts/publish/linux-x64] [--runs 5] [--settle 60] [--quick]
#                                  [--no-node-red] [--node-red-dir DIR] [--smaps DIR]
#   --quick: 1 run, 20 s (a smoke check); the documented figures are the default: median of 5 runs, memory after 60 s.
#   Node-RED (npm, 4.1.8: the last major that runs on Debian's Node 20) is installed on first use into
#   ${XDG_CACHE_HOME:-~/.cache}/edgeops-bench/node-red-4.1.8 (not by CI), and runs a three-node flow: inject every
#   second (first at start) -> function -> mqtt out, retained, QoS 1; its editor on, as installed.
# For each program and run: a Mosquitto with nothing retained; a mosquitto_sub subscribed (its SUBSCRIBE seen in the
# broker's log) before the program starts; the time from the start to the first message it receives (its %U stamp);
# VmRSS and VmHWM from /proc/<pid>/status after --settle seconds; then SIGTERM.
# Prints one line per run and program, then one median line per program:
#   "<program> run <n> first_message_ms <ms> rss_mb <MB> hwm_mb <MB> …"   "<program> median first_message_ms <ms> rss_mb <MB> …"
# --smaps DIR: also keep each program's /proc/<pid>/smaps at the memory reading (DIR/<program>-<run>.smaps) and print
#   where its resident memory is (deploy/smaps-summary.py: the image's code, read-only data and rehydrated data, heap…).
# Extra environment for the gateway (e.g. a GC setting to try): EDGEOPS_MEASURE_ENV="DOTNET_GCGen0MaxBudget=400000"
#   (the AOT runtime reads DOTNET_ numbers as hex digits WITHOUT "0x": "0x400000" is silently ignored);
# EDGEOPS_MEASURE_SKIP_EDGEOPS=1 measures Node-RED alone.
# Needs mosquitto, mosquitto-clients; node and npm for Node-RED.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/artifacts/publish/linux-x64"
settle=60
runs=5
node_red=1
smaps_dir=
nr_dir="${XDG_CACHE_HOME:-$HOME/.cache}/edgeops-bench/node-red-4.1.8"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --quick) runs=1; settle=20; shift ;;
    --no-node-red) node_red=0; shift ;;
    --node-red-dir) nr_dir=$2; shift 2 ;;
    --smaps) smaps_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "measure-startup.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
dir=$(cd "$dir" && pwd)
[ -x "$dir/edgeops" ] || { echo "measure-startup.sh: no $dir/edgeops: run deploy/publish.sh --rid linux-x64 first" >&2; exit 2; }
command -v mosquitto_sub >/dev/null || { echo "measure-startup.sh: mosquitto_sub missing (apt install mosquitto-clients)" >&2; exit 2; }
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosquitto" ] || { echo "measure-startup.sh: mosquitto missing (apt install mosquitto)" >&2; exit 2; }

if [ "$node_red" -eq 1 ] && [ ! -f "$nr_dir/node_modules/node-red/red.js" ]; then
  command -v npm >/dev/null || { echo "measure-startup.sh: npm missing (apt install npm), or pass --no-node-red" >&2; exit 2; }
  echo "installing node-red@4.1.8 into $nr_dir" >&2
  mkdir -p "$nr_dir"
  (cd "$nr_dir" && npm install --no-audit --no-fund --loglevel=error --omit=dev node-red@4.1.8 >&2)
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a Mosquitto and a subscriber on the filter $2; sets broker_port, broker_pid, sub_pid, sub_out.
start_broker_and_subscriber() {
  local run_dir=$1 filter=$2
  broker_port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file %s/mosquitto.log\nlog_type all\n' \
    "$broker_port" "$run_dir" > "$run_dir/mosquitto.conf"
  "$mosquitto" -c "$run_dir/mosquitto.conf" >/dev/null 2>&1 &
  broker_pid=$!; pids+=("$broker_pid")
  for _ in $(seq 1 200); do
    if mosquitto_sub -h 127.0.0.1 -p "$broker_port" -t '$SYS/broker/version' -C 1 -W 1 >/dev/null 2>&1; then break; fi
    sleep 0.05
  done
  sub_out="$run_dir/first.txt"
  mosquitto_sub -i measure-sub -h 127.0.0.1 -p "$broker_port" -t "$filter" -C 1 -W 120 -F '%U %t' > "$sub_out" 2>/dev/null &
  sub_pid=$!; pids+=("$sub_pid")
  for _ in $(seq 1 400); do
    grep -q "Received SUBSCRIBE from measure-sub" "$run_dir/mosquitto.log" 2>/dev/null && break
    sleep 0.05
  done
  sleep 0.1 # the SUBACK follows the logged SUBSCRIBE
}

# measure <name> <run> <filter> <launcher>: prepare_<launcher> writes the program's files, then <launcher> (a function
# given the run's directory and the broker's port) execs the program in the background job, so its pid is the
# program's. Prints the run's line and appends "<first_ms> <rss_kb> <hwm_kb>" to $work/<name>.txt.
measure() {
  local name=$1 run=$2 filter=$3 launcher=$4
  local run_dir="$work/$name-$run"; mkdir -p "$run_dir"
  start_broker_and_subscriber "$run_dir" "$filter"
  "prepare_$launcher" "$run_dir" "$broker_port"
  local start_ns; start_ns=$(date +%s%N)
  ("$launcher" "$run_dir" "$broker_port" > "$run_dir/out.log" 2>&1) &
  local prog=$!; pids+=("$prog")
  wait "$sub_pid" || { echo "$name: no message within 120 s; it said:" >&2; tail -20 "$run_dir/out.log" >&2; tail -5 "$run_dir/mosquitto.log" >&2; exit 1; }
  local stamp first_ms
  stamp=$(cut -d' ' -f1 "$sub_out")
  first_ms=$(awk -v s="$stamp" -v t="$start_ns" 'BEGIN { printf "%d", (s * 1000) - (t / 1000000) }')
  sleep "$settle"
  kill -0 "$prog" 2>/dev/null || { echo "$name exited; it said:" >&2; tail -20 "$run_dir/out.log" >&2; exit 1; }
  local rss hwm
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$prog/status"); hwm=$(awk '/VmHWM/ {print $2}' "/proc/$prog/status")
  if [ -n "$smaps_dir" ]; then
    mkdir -p "$smaps_dir"
    cp "/proc/$prog/smaps" "$smaps_dir/$name-$run.smaps"
    /usr/bin/python3 "$repo/deploy/smaps-summary.py" "$smaps_dir/$name-$run.smaps" >&2 || true
  fi
  kill -TERM "$prog" 2>/dev/null || true; wait "$prog" 2>/dev/null || true
  kill -TERM "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true
  awk -v n="$name" -v r="$run" -v f="$first_ms" -v rss="$rss" -v hwm="$hwm" -v t="$(cut -d' ' -f2 "$sub_out")" \
    'BEGIN { printf "%s run %s first_message_ms %s rss_mb %.1f hwm_mb %.1f first_topic %s\n", n, r, f, rss / 1024, hwm / 1024, t }'
  echo "$first_ms $rss $hwm" >> "$work/$name.txt"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

prepare_edgeops() { :; }

# The gateway as a plant engineer runs it against a site broker: everything by settings.
edgeops() {
  local run_dir=$1 port=$2 web
  web=$(free_port)
  cd "$dir"
  # shellcheck disable=SC2086 # EDGEOPS_MEASURE_ENV is a list of NAME=value words
  exec env ${EDGEOPS_MEASURE_ENV:-} ./edgeops --data "$run_dir/data" --EdgeOps:Mqtt:Broker="mqtt://127.0.0.1:$port" \
    --EdgeOps:GatewayId=measure --EdgeOps:Web:Urls="http://127.0.0.1:$web" --EdgeOps:ConsoleSummaryInterval=00:00:00
}

prepare_node_red() {
  local run_dir=$1 port=$2
  printf '%s\n' \
    '[' \
    ' {"id": "tab1", "type": "tab", "label": "bench"},' \
    " {\"id\": \"broker1\", \"type\": \"mqtt-broker\", \"name\": \"bench\", \"broker\": \"127.0.0.1\", \"port\": \"$port\", \"clientid\": \"nodered-bench\"," \
    '  "usetls": false, "protocolVersion": "4", "keepalive": "60", "cleansession": true, "autoConnect": true},' \
    ' {"id": "inject1", "type": "inject", "z": "tab1", "name": "every second", "props": [{"p": "payload"}], "repeat": "1",' \
    '  "crontab": "", "once": true, "onceDelay": "0.1", "topic": "", "payload": "", "payloadType": "date", "wires": [["function1"]]},' \
    ' {"id": "function1", "type": "function", "z": "tab1", "name": "state",' \
    '  "func": "msg.payload = { state: \"running\", ts: new Date(msg.payload).toISOString() };\nreturn msg;", "outputs": 1, "wires": [["mqtt1"]]},' \
    ' {"id": "mqtt1", "type": "mqtt out", "z": "tab1", "name": "", "topic": "nodered/v1/line/press/state", "qos": "1", "retain": "true",' \
    '  "broker": "broker1", "wires": []}' \
    ']' > "$run_dir/flows.json"
  echo "module.exports = { flowFile: 'flows.json', uiPort: $(free_port), uiHost: '127.0.0.1', diagnostics: { enabled: false }, telemetry: { enabled: false } };" \
    > "$run_dir/settings.js"
}

node_red() {
  local run_dir=$1
  exec node "$nr_dir/node_modules/node-red/red.js" -u "$run_dir" -s "$run_dir/settings.js"
}

for run in $(seq 1 "$runs"); do
  [ -n "${EDGEOPS_MEASURE_SKIP_EDGEOPS:-}" ] || measure edgeops "$run" 'edgeops/#' edgeops
  if [ "$node_red" -eq 1 ]; then measure node-red "$run" 'nodered/#' node_red; fi
done

for name in edgeops node-red; do
  [ -f "$work/$name.txt" ] || continue
  first=$(cut -d' ' -f1 "$work/$name.txt" | median)
  rss=$(cut -d' ' -f2 "$work/$name.txt" | median)
  awk -v n="$name" -v f="$first" -v rss="$rss" -v r="$runs" -v s="$settle" \
    'BEGIN { printf "%s median first_message_ms %s rss_mb %.1f runs %s settle_s %s\n", n, f, rss / 1024, r, s }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
