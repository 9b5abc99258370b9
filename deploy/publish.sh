#!/usr/bin/env bash
# Native AOT builds of the gateway, one folder per runtime: artifacts/publish/<rid>/ (one native `edgeops` binary, its
# SQLite library and firmware-config/; no .NET runtime to install).
# Usage: deploy/publish.sh [--rid linux-arm64]... [--out DIR]
#   default runtimes: linux-arm64 (Pi 4/5, 64-bit Pi OS), linux-x64 (industrial PC). linux-arm (32-bit Pi OS) on
#   request (--rid linux-arm): Native AOT for linux-arm needs runtime.linux-arm.Microsoft.DotNet.ILCompiler and the
#   runtime packs Microsoft.NETCore.App.Runtime.linux-arm and Microsoft.AspNetCore.App.Runtime.linux-arm, which nuget.org
#   has and the mirror this project builds from does not (NU1101).
# Needs clang, zlib1g-dev and llvm-objcopy (Debian: clang, zlib1g-dev, llvm); for linux-arm64 on an x64 machine also
#   the arm64 cross toolchain and arm64 zlib (crossbuild-essential-arm64, zlib1g-dev:arm64 with `dpkg
#   --add-architecture arm64`). test.sh installs them.
# Prints one line per runtime: "<rid> <bytes> <files> <seconds>" (docs/PERFORMANCE.md records them).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/artifacts/publish"
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rids+=("$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -eq 0 ] && rids=(linux-arm64 linux-x64)

host_arch=$(uname -m)
for rid in "${rids[@]}"; do
  dest="$out/$rid"
  rm -rf "$dest"
  start=$(date +%s)
  cross=()
  # Cross-linking for arm64 on an x64 box: the ILCompiler targets pass --target=aarch64-linux-gnu to clang, which finds
  #   the cross gcc's libraries and /usr/lib/aarch64-linux-gnu/libz.a by itself; stripping needs an objcopy that reads
  #   arm64 ELF (llvm-objcopy does; the host's GNU objcopy does not).
  if [ "$rid" = linux-arm64 ] && [ "$host_arch" != aarch64 ]; then
    cross=(-p:ObjCopyName=llvm-objcopy)
  fi
  # PublishAot is the project's (EdgeOps.Gateway.csproj), as are JsonSerializerIsReflectionEnabledByDefault=false, the
  #   configuration binding generator and the memory settings: this script only picks the runtime. Every AOT or trim
  #   warning fails the publish (TreatWarningsAsErrors reaches ILC) but IL2104, the one-line summary of a third-party
  #   assembly's trim warnings: UnitsNet's and System.Device.Gpio's are in code the gateway does not reach at run time
  #   (docs/PERFORMANCE.md "Deployment", per dependency). It stays a printed warning, and TrimmedBuildTests fails when
  #   any other assembly reports one.
  # DebugType=none: no .pdb and no .dbg symbol file on the device; GenerateDocumentationFile=false: no .xml docs.
  dotnet publish "$repo/src/EdgeOps.Gateway/EdgeOps.Gateway.csproj" -c Release -r "$rid" \
    -p:DebugType=none -p:StripSymbols=true -p:GenerateDocumentationFile=false -p:WarningsNotAsErrors=IL2104 "${cross[@]}" \
    -nologo -v:q -o "$dest" >&2
  end=$(date +%s)
  bytes=$(du -sb "$dest" | cut -f1)
  files=$(find "$dest" -type f | wc -l)
  echo "$rid $bytes $files $((end - start))"
done
