#!/usr/bin/env bash
# Self-contained, trimmed builds of the gateway, one folder per runtime: artifacts/publish/<rid>/.
# Usage: deploy/publish.sh [--rid linux-arm64]... [--out DIR]
#   default runtimes: linux-arm64 (Pi 4/5, 64-bit Pi OS), linux-x64 (industrial PC). linux-arm (32-bit Pi OS) on
#   request (--rid linux-arm): it needs the runtime packs Microsoft.NETCore.App.Runtime.linux-arm and
#   Microsoft.AspNetCore.App.Runtime.linux-arm, which nuget.org has and the mirror this project builds from does not
#   (NU1101); every library the gateway uses is architecture-neutral or ships linux-arm natives (SQLite, libgpiod
#   through System.Device.Gpio), so nothing else stands in the way.
# Prints one line per runtime: "<rid> <bytes> <files> <seconds>" (docs/PERFORMANCE.md records them).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/artifacts/publish"
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rids+=("$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -eq 0 ] && rids=(linux-arm64 linux-x64)

for rid in "${rids[@]}"; do
  dest="$out/$rid"
  rm -rf "$dest"
  start=$(date +%s)
  # TrimMode=partial: trims the framework (most of the size), keeps every assembly that is not marked trimmable
  #   (ours, MQTTnet) and the reflection-heavy libraries listed in deploy/trimming.targets whole, so their reflection (System.Text.Json over our
  #   records in the web API) keeps working; JSON reflection stays on for that reason.
  #   EnableTrimAnalyzer=false: the compile-time analyzer judges our code as if it were trimmed, which it is not.
  #   The linker still reports IL2104 for ASP.NET's MVC/Razor/Components assemblies (unused by the gateway) and
  #   Iot.Device.Bindings, and IL2026 for reflection JSON in our kept code; they are listed in docs/PERFORMANCE.md
  #   "Deployment" and do not fail the build (ILLinkTreatWarningsAsErrors=false: the repo's TreatWarningsAsErrors
  #   would otherwise turn them into errors).
  #   Why not full trimming: docs/PERFORMANCE.md "Deployment".
  # The configuration binding source generator is on here (the SDK's default for trimmed publishes) and in every
  #   build of the gateway (EnableConfigurationBindingGenerator in its project), so the tests run the binding code the
  #   device runs. It skips init-only properties without a word, which once made the published gateway ignore every
  #   EdgeOps:Mqtt:* setting: options types are { get; set; }. TrimmedBuildTests and InstalledDebTests run the
  #   published x64 build, configured only by settings, against a real Mosquitto to keep it that way.
  # DebugType=none: no .pdb on the device; GenerateDocumentationFile=false: no .xml docs.
  dotnet publish "$repo/src/EdgeOps.Gateway/EdgeOps.Gateway.csproj" -c Release -r "$rid" --self-contained \
    -p:PublishTrimmed=true -p:TrimMode=partial -p:JsonSerializerIsReflectionEnabledByDefault=true -p:EnableTrimAnalyzer=false \
    -p:CustomAfterMicrosoftCommonTargets="$repo/deploy/trimming.targets" -p:ILLinkTreatWarningsAsErrors=false \
    -p:DebugType=none -p:GenerateDocumentationFile=false \
    -nologo -v:q -o "$dest" >&2
  end=$(date +%s)
  bytes=$(du -sb "$dest" | cut -f1)
  files=$(find "$dest" -type f | wc -l)
  echo "$rid $bytes $files $((end - start))"
done
