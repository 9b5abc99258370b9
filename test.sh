#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (idempotent), builds, and runs every test.
# Usage: ./test.sh [extra dotnet test arguments]
# EDGEOPS_FUZZ_ITERATIONS, EDGEOPS_SOAK_SECONDS: raise for the long campaigns (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
# program            package
while read -r program package; do
  [ -z "$program" ] && continue
  if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ] && [ ! -x "/usr/bin/$program" ]; then
    need_apt+=("$package")
  fi
done <<'LIST'
mosquitto          mosquitto
mosquitto_sub      mosquitto-clients
influxd            influxdb
victoria-metrics   victoria-metrics
docker-compose     docker-compose
promtool           prometheus
chromium           chromium
openssl            openssl
systemd-analyze    systemd
dpkg-deb           dpkg
node               nodejs
npm                npm
LIST

# Debian's pymodbus 3.0 serves the Modbus tests. Checked by importing it under /usr/bin/python3 (the python3 first on
# PATH may be another interpreter); its server imports pyserial, which the package only recommends.
if ! /usr/bin/python3 -c 'import pymodbus.server, pymodbus.client' >/dev/null 2>&1; then
  need_apt+=(python3 python3-pymodbus python3-serial python3-serial-asyncio)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # The tests start their own servers on free loopback ports: keep the packages' services from starting
  # (a system Mosquitto on 1883 would also shadow the gateway's embedded broker).
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; policy_added=1
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  [ "$policy_added" -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi

# The node-opcua test server (version pinned by its package-lock).
if [ -f tests/opcua-server/package-lock.json ]; then
  (cd tests/opcua-server && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; })
fi

# The independent Sparkplug B host (Eclipse Tahu's sparkplug-payload and sparkplug-client, pinned by its package-lock).
if [ -f tests/sparkplug-host/package-lock.json ]; then
  (cd tests/sparkplug-host && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; })
fi

echo "== build"
dotnet build EdgeOps.sln -c Release -warnaserror -nologo -v:q

echo "== test"
# The gateway treats INVOCATION_ID/NOTIFY_SOCKET (set when this runs under a systemd unit) and a Production environment
# as production, where the embedded broker and the simulator need an opt-in: tests set these themselves where they
# mean them, so a CI runner's own values must not leak into every gateway the tests start.
unset INVOCATION_ID NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID DOTNET_ENVIRONMENT ASPNETCORE_ENVIRONMENT
log=$(mktemp)
set +e
dotnet test EdgeOps.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for CI: the sum over every test project.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
