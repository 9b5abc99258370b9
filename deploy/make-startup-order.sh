#!/usr/bin/env bash
# Writes deploy/startup-order/edgeops.order: the methods the gateway runs in its first SECONDS on the demo line, in the
# order ILC is to lay them out in the Native AOT image (EdgeOps.Gateway.csproj passes it as IlcOrderFile). Start-up
# code together in a few megabytes instead of spread through 15 MB of code leaves most code pages untouched: the
# kernel maps 64 KB around every page a program touches (docs/PERFORMANCE.md "Memory and start").
# Usage: deploy/make-startup-order.sh [--seconds 40] [--perf-passes 2] [--out FILE] [--keep DIR]
#   1. a JIT run of the gateway (dotnet build) lists every method it compiles (DOTNET_JitStdOutFile +
#      DOTNET_JitDisasmSummary), generic instantiations included, in the order they first ran;
#   2. a Native AOT publish instrumented by ILC (_InstrumentReachability) lists every non-generic method the AOT build
#      itself runs (its own code paths and runtime), written to reach.mprof at exit and named by
#      deploy/startup-order/reach-names.cs;
#   3. deploy/startup-order/startup-order.py matches both lists to the instrumented object file's symbols (nm);
#   4. per perf pass: a plain publish with that order, run under `perf record -e page-faults -d`; the methods it faults
#      in outside the ordered region (generic code only the AOT build runs) are added (page-faults.py). Each pass finds
#      the methods the previous one hid: a page shows only its first touch.
# Both runs: the demo line configured only by settings against a fresh Mosquitto on a free loopback port, as
# deploy/measure-startup.sh runs it. Rerun it when start-up code changes much; a stale order file still builds (ILC
# skips names it does not know), it only orders less of what runs.
# Needs: dotnet, mosquitto, nm (binutils), python3, perf (linux-perf) for the passes, and what deploy/publish.sh needs.
# Takes 1 + passes AOT publishes (5–25 min each).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=40
passes=2
order="$repo/deploy/startup-order/edgeops.order"
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --perf-passes) passes=$2; shift 2 ;;
    --out) order=$(realpath -m "$2"); shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "make-startup-order.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosquitto" ] || { echo "make-startup-order.sh: mosquitto missing (apt install mosquitto)" >&2; exit 2; }
command -v nm >/dev/null || { echo "make-startup-order.sh: nm missing (apt install binutils)" >&2; exit 2; }

work=${keep:-$(mktemp -d)}
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# run_demo_line <name> <command...>: the program on the demo line for $seconds against its own Mosquitto, then SIGTERM
# (the instrumented build writes its profile on the way out); its working directory is $work/<name>. With
# SELF_STOPPING=1 the command ends by itself (perf recording a gateway that `timeout` stops: perf must outlive it).
run_demo_line() {
  local name=$1; shift
  local dir="$work/$name" port web
  mkdir -p "$dir"
  port=$(free_port); web=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$dir/mosquitto.conf"
  "$mosquitto" -c "$dir/mosquitto.conf" >/dev/null 2>&1 &
  local broker=$!; pids+=("$broker")
  sleep 0.5
  (cd "$dir" && exec "$@" --data "$dir/data" --EdgeOps:Mqtt:Broker="mqtt://127.0.0.1:$port" --EdgeOps:GatewayId=order \
    --EdgeOps:Web:Urls="http://127.0.0.1:$web" --EdgeOps:ConsoleSummaryInterval=00:00:00 > "$dir/out.log" 2>&1) &
  local prog=$!; pids+=("$prog")
  if [ -n "${SELF_STOPPING:-}" ]; then
    wait "$prog" || true
  else
    sleep "$seconds"
    kill -0 "$prog" 2>/dev/null || { echo "make-startup-order.sh: $name exited early; it said:" >&2; tail -20 "$dir/out.log" >&2; exit 1; }
    kill -TERM "$prog"; wait "$prog" || true
  fi
  kill -TERM "$broker"; wait "$broker" || true
}

echo "1/3 JIT run ($seconds s)" >&2
dotnet build "$repo/src/EdgeOps.Gateway/EdgeOps.Gateway.csproj" -c Release -nologo -v:q -o "$work/jit-bin" >&2
# Tier0 compiles every method at its first call (no inlining), ReadyToRun off so the framework's methods are listed too.
run_demo_line jit env DOTNET_ReadyToRun=0 DOTNET_TieredPGO=0 DOTNET_JitStdOutFile="$work/jit.txt" DOTNET_JitDisasmSummary=1 \
  dotnet "$work/jit-bin/edgeops.dll"

echo "2/3 instrumented Native AOT run ($seconds s)" >&2
obj="$repo/src/EdgeOps.Gateway/obj/Release/net10.0/linux-x64/native"
dotnet publish "$repo/src/EdgeOps.Gateway/EdgeOps.Gateway.csproj" -c Release -r linux-x64 -p:_InstrumentReachability=true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -p:WarningsNotAsErrors=IL2104 -nologo -v:q -o "$work/aot-bin" >&2
nm "$obj/edgeops.o" > "$work/edgeops.nm"
cp "$obj/edgeops.ilc.rsp" "$work/edgeops.ilc.rsp"
run_demo_line aot "$work/aot-bin/edgeops"
[ -s "$work/aot/reach.mprof" ] || { echo "make-startup-order.sh: the instrumented run wrote no reach.mprof" >&2; exit 1; }
(cd "$repo/deploy/startup-order" && dotnet run reach-names.cs -- "$work/aot/reach.mprof" "$obj/edgeops.ilc.rsp") > "$work/reach.txt"

echo "3/3 order" >&2
python3 "$repo/deploy/startup-order/startup-order.py" "$work/jit.txt" "$work/reach.txt" "$work/edgeops.nm" > "$order"

for pass in $(seq 1 "$passes"); do
  [ "$pass" -eq 1 ] && { command -v perf >/dev/null || { echo "make-startup-order.sh: perf missing (apt install linux-perf), or --perf-passes 0" >&2; exit 2; }; }
  echo "perf pass $pass/$passes ($seconds s)" >&2
  dotnet publish "$repo/src/EdgeOps.Gateway/EdgeOps.Gateway.csproj" -c Release -r linux-x64 -p:IlcOrderFile="$order" \
    -p:DebugType=none -p:GenerateDocumentationFile=false -p:WarningsNotAsErrors=IL2104 -nologo -v:q -o "$work/pass-$pass" >&2
  cp "$obj/edgeops.o" "$work/pass-$pass.o"
  SELF_STOPPING=1 run_demo_line "perf-$pass" perf record -q -e page-faults -c 1 -d -o "$work/perf-$pass.data" -- \
    timeout -s TERM "$seconds" "$work/pass-$pass/edgeops"
  python3 "$repo/deploy/startup-order/page-faults.py" "$work/perf-$pass.data" "$work/pass-$pass.o" "$work/pass-$pass/edgeops" \
    "$order" > "$work/missed-$pass.txt"
  cat "$work/missed-$pass.txt" >> "$order"
done
echo "wrote $order ($(wc -l < "$order") lines)" >&2
