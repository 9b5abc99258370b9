#!/usr/bin/env bash
# Builds artifacts/edgeops_<version>_<arch>.deb from a published folder (deploy/publish.sh) with dpkg-deb.
# Usage: deploy/build-deb.sh --rid linux-arm64 [--publish-dir DIR] [--version X.Y.Z] [--out DIR]
#   --publish-dir defaults to artifacts/publish/<rid>; it is published first when missing.
# Prints the path of the .deb.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rid=""; publish_dir=""; out="$repo/artifacts"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rid=$2; shift 2 ;;
    --publish-dir) publish_dir=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$rid" in
  linux-arm64) arch=arm64 ;;
  linux-x64) arch=amd64 ;;
  linux-arm) arch=armhf ;;
  *) echo "build-deb.sh: --rid must be linux-arm64, linux-x64 or linux-arm (got '$rid')" >&2; exit 2 ;;
esac
[ -n "$version" ] || { echo "build-deb.sh: no <Version> in Directory.Build.props; pass --version" >&2; exit 2; }
publish_dir=${publish_dir:-$repo/artifacts/publish/$rid}
if [ ! -x "$publish_dir/edgeops" ]; then
  "$repo/deploy/publish.sh" --rid "$rid" --out "$(dirname "$publish_dir")" >&2
fi
line=$(ls "$repo"/firmware-config/lines/*.yaml | head -1)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/edgeops_${version}_$arch"

# The binary and everything it ships (including firmware-config/), a command on PATH.
install -d "$pkg/usr/lib/edgeops" "$pkg/usr/bin"
cp -a "$publish_dir/." "$pkg/usr/lib/edgeops/"
ln -s ../lib/edgeops/edgeops "$pkg/usr/bin/edgeops"
# The unit, the udev rule, the I2C module.
install -D -m 0644 "$repo/deploy/systemd/edgeops.service" "$pkg/lib/systemd/system/edgeops.service"
install -D -m 0644 "$repo/deploy/udev/99-edgeops.rules" "$pkg/lib/udev/rules.d/99-edgeops.rules"
install -D -m 0644 "$repo/deploy/debian/modules-load.conf" "$pkg/usr/lib/modules-load.d/edgeops.conf"
# The default config (conffiles: an upgrade never overwrites what the plant changed).
install -D -m 0644 "$line" "$pkg/etc/edgeops/line.yaml"
install -D -m 0600 "$repo/deploy/debian/edgeops.env" "$pkg/etc/edgeops/edgeops.env"
install -d -m 0700 "$pkg/etc/edgeops/credentials"
# Docs.
install -D -m 0644 "$repo/docs/deploy.md" "$pkg/usr/share/doc/edgeops/deploy.md"
install -D -m 0644 "$repo/docs/operations.md" "$pkg/usr/share/doc/edgeops/operations.md"
install -D -m 0644 "$repo/deploy/debian/copyright" "$pkg/usr/share/doc/edgeops/copyright"

install -d "$pkg/DEBIAN"
size_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size_kb/" "$repo/deploy/debian/control" > "$pkg/DEBIAN/control"
printf '/etc/edgeops/line.yaml\n/etc/edgeops/edgeops.env\n' > "$pkg/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$repo/deploy/debian/$script" "$pkg/DEBIAN/$script"
done

mkdir -p "$out"
deb="$out/edgeops_${version}_$arch.deb"
# --root-owner-group: files owned by root in the package whoever builds it; xz: smallest download for a Pi.
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
