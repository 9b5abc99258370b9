#!/usr/bin/env bash
# Installs (or upgrades, or removes) the EdgeOps gateway on a Raspberry Pi or industrial PC without the .deb.
#
# Usage: sudo deploy/install.sh [--from DIR] [--line FILE] [--devices LIST] [--serial] [--no-i2c] [--root DIR] [--dry-run]
#        sudo deploy/install.sh --uninstall [--purge] [--root DIR] [--dry-run]
#   --from DIR     published gateway (deploy/publish.sh); default artifacts/publish/linux-<this machine's arch>
#   --line FILE    line config installed as /etc/edgeops/line.yaml when none is there yet (default: the demo line)
#   --devices LIST comma-separated device nodes the service may open (default /dev/gpiochip0,/dev/i2c-1)
#   --serial       the line reads serial ports: the service user joins dialout (a drop-in adds the group to the unit);
#                  list the ports in --devices (e.g. /dev/gpiochip0,/dev/i2c-1,/dev/ttyUSB0)
#   --no-i2c       leave /boot/firmware/config.txt alone
#   --root DIR     install into DIR instead of / (users go into DIR/etc/passwd and DIR/etc/group; nothing is started)
#   --dry-run      print what would change, change nothing
#   --uninstall    remove binary, unit and udev rule; keeps config, data and the user unless --purge
# Idempotent: a second run changes nothing and says "0 changes". Upgrades replace the binary and the unit only:
# /etc/edgeops and /var/lib/edgeops (config, outbox, counters) are never overwritten.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

root=/; dry=0; uninstall=0; purge=0; from=""; line=""; devices="/dev/gpiochip0,/dev/i2c-1"; i2c=1; serial=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    --from) from=$2; shift 2 ;;
    --line) line=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --serial) serial=1; shift ;;
    --no-i2c) i2c=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
  esac
done
[ "$purge" -eq 1 ] && [ "$uninstall" -eq 0 ] && { echo "install.sh: --purge goes with --uninstall" >&2; exit 2; }
root=${root%/}
live=0; [ -z "$root" ] && live=1   # installing onto this machine: users via useradd, systemd and udev told
if [ "$live" -eq 1 ] && [ "$dry" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo), or use --dry-run / --root DIR" >&2; exit 1
fi

user=edgeops
changes=0
r() { printf '%s%s' "$root" "$1"; }
note() { changes=$((changes + 1)); if [ "$dry" -eq 1 ]; then echo "would: $*"; else echo "+ $*"; fi; }
act() { [ "$dry" -eq 1 ] || "$@"; }

# --- users and groups --------------------------------------------------------------------------------------------
# In a scratch root the passwd/group files are edited directly (the same lines useradd writes); on the live
# system the shadow tools do it, so shadow/gshadow and nscd stay consistent.
free_id() { # lowest free system id (100..999) in the given file's third column, counting down like useradd -r
  local file=$1 id
  for id in $(seq 999 -1 100); do
    awk -F: -v id="$id" '$3 == id { found = 1 } END { exit found ? 0 : 1 }' "$file" 2>/dev/null || { echo "$id"; return; }
  done
  echo "install.sh: no free system id in $file" >&2; exit 1
}
has_group() { if [ "$live" -eq 1 ]; then getent group "$1" >/dev/null; else grep -q "^$1:" "$(r /etc/group)" 2>/dev/null; fi; }
has_user() { if [ "$live" -eq 1 ]; then getent passwd "$1" >/dev/null; else grep -q "^$1:" "$(r /etc/passwd)" 2>/dev/null; fi; }
in_group() { # user group
  if [ "$live" -eq 1 ]; then id -nG "$1" | tr ' ' '\n' | grep -qx "$2"
  else awk -F: -v g="$2" -v u="$1" '$1 == g { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) f = 1 } END { exit f ? 0 : 1 }' "$(r /etc/group)"; fi
}
ensure_group() {
  has_group "$1" && return
  note "group $1"
  if [ "$live" -eq 1 ]; then act groupadd --system "$1"
  else act mkdir -p "$(r /etc)"; [ "$dry" -eq 1 ] || echo "$1:x:$(free_id "$(r /etc/group)"):" >> "$(r /etc/group)"; fi
}
ensure_user() {
  if ! has_user "$user"; then
    note "user $user (system, no login, home /var/lib/edgeops)"
    if [ "$live" -eq 1 ]; then
      act useradd --system --gid "$user" --no-create-home --home-dir /var/lib/edgeops --shell /usr/sbin/nologin \
        --comment "EdgeOps gateway" "$user"
    elif [ "$dry" -eq 0 ]; then
      local gid; gid=$(awk -F: -v g="$user" '$1 == g { print $3 }' "$(r /etc/group)")
      echo "$user:x:$(free_id "$(r /etc/passwd)"):$gid:EdgeOps gateway:/var/lib/edgeops:/usr/sbin/nologin" >> "$(r /etc/passwd)"
    fi
  fi
  local g groups="gpio i2c"
  # dialout (every serial port of the machine) only when asked for: no line source reads a serial port by default.
  [ "$serial" -eq 1 ] && groups="$groups dialout"
  for g in $groups; do
    { [ "$dry" -eq 1 ] && ! has_user "$user"; } || ! in_group "$user" "$g" || continue
    note "user $user joins group $g"
    if [ "$live" -eq 1 ]; then act usermod -aG "$g" "$user"
    elif [ "$dry" -eq 0 ]; then
      awk -F: -v OFS=: -v g="$g" -v u="$user" '$1 == g { $4 = ($4 == "" ? u : $4 "," u) } { print }' "$(r /etc/group)" > "$(r /etc/group).new"
      mv "$(r /etc/group).new" "$(r /etc/group)"
    fi
  done
}
uid_of() { if [ "$1" = root ]; then echo 0; elif [ "$live" -eq 1 ]; then id -u "$1"; else awk -F: -v u="$1" '$1 == u { print $3 }' "$(r /etc/passwd)"; fi; }
gid_of() { if [ "$1" = root ]; then echo 0; elif [ "$live" -eq 1 ]; then getent group "$1" | cut -d: -f3; else awk -F: -v g="$1" '$1 == g { print $3 }' "$(r /etc/group)"; fi; }

# --- files ---------------------------------------------------------------------------------------------------------
ensure_dir() { # path mode owner-user owner-group
  local p; p=$(r "$1")
  if [ ! -d "$p" ]; then note "directory $1 ($2 $3:$4)"; act install -d -m "$2" "$p"; fi
  [ "$dry" -eq 1 ] && [ ! -d "$p" ] && return
  if [ "$(stat -c %a "$p")" != "${2#0}" ]; then note "mode $2 on $1"; act chmod "$2" "$p"; fi
  owned "$p" "$1" "$3" "$4"
}
owned() { # real-path display-path user group: by number, so it works for a scratch root's users too
  [ "$(id -u)" -eq 0 ] || return 0   # without root nothing can be chowned (a scratch install by a developer)
  [ -e "$1" ] || return 0             # a dry run did not create it
  local uid gid; uid=$(uid_of "$3" 2>/dev/null || true); gid=$(gid_of "$4" 2>/dev/null || true)
  [ -n "$uid" ] && [ -n "$gid" ] || return 0
  if [ "$(stat -c %u:%g "$1")" != "$uid:$gid" ]; then note "owner $3:$4 on $2"; act chown "$uid:$gid" "$1"; fi
}
ensure_file() { # source dest mode [keep]: keep = never overwrite an existing file (config)
  local d; d=$(r "$2")
  if [ -e "$d" ] && { [ "${4:-}" = keep ] || cmp -s "$1" "$d"; }; then
    if [ "$(stat -c %a "$d")" != "${3#0}" ]; then note "mode $3 on $2"; act chmod "$3" "$d"; fi
    return
  fi
  note "file $2"
  act install -D -m "$3" "$1" "$d"
}
ensure_link() { # target link
  local l; l=$(r "$2")
  [ -L "$l" ] && [ "$(readlink "$l")" = "$1" ] && return
  note "link $2 -> $1"
  act mkdir -p "$(dirname "$l")"; act ln -sfn "$1" "$l"
}
remove() { # path...
  local p
  for p in "$@"; do
    if [ -e "$(r "$p")" ] || [ -L "$(r "$p")" ]; then note "remove $p"; act rm -rf "$(r "$p")"; fi
  done
}

binary_changed=0
install_binary() {
  local dest; dest=$(r /usr/lib/edgeops)
  if [ -d "$dest" ] && diff -rq "$from" "$dest" >/dev/null 2>&1; then return; fi
  binary_changed=1
  note "binary /usr/lib/edgeops from $from"
  [ "$dry" -eq 1 ] && return
  # Copy next to the old one, then swap: a power cut mid-upgrade leaves either version whole.
  rm -rf "$dest.new"; mkdir -p "$(dirname "$dest")"; cp -a "$from" "$dest.new"
  chown -R 0:0 "$dest.new" 2>/dev/null || true
  rm -rf "$dest.old"; [ -d "$dest" ] && mv "$dest" "$dest.old"
  mv "$dest.new" "$dest"; rm -rf "$dest.old"
}

devices_dropin() {
  local tmp; tmp=$(mktemp)
  {
    echo "# Written by deploy/install.sh --devices: the device nodes the gateway may open (DevicePolicy=closed)."
    echo "[Service]"
    echo "DeviceAllow="
    local d
    for d in ${devices//,/ }; do echo "DeviceAllow=$d rw"; done
  } > "$tmp"
  ensure_file "$tmp" /etc/systemd/system/edgeops.service.d/10-devices.conf 0644
  rm -f "$tmp"
  [ "$serial" -eq 1 ] || return 0
  tmp=$(mktemp)
  printf '%s\n' "# Written by deploy/install.sh --serial: the serial ports' group (the ports themselves: 10-devices.conf)." \
    "[Service]" "SupplementaryGroups=dialout" > "$tmp"
  ensure_file "$tmp" /etc/systemd/system/edgeops.service.d/20-serial.conf 0644
  rm -f "$tmp"
}

enable_i2c() {
  local cfg=""
  for c in /boot/firmware/config.txt /boot/config.txt; do [ -f "$(r "$c")" ] && { cfg=$c; break; }; done
  if [ -z "$cfg" ]; then echo "= no Raspberry Pi config.txt under ${root:-/}boot: I2C left to the board's own setup"; return; fi
  local overlay="$repo/firmware-config/os/i2c.txt" lines
  if [ -f "$overlay" ]; then lines=$(grep -v '^[[:space:]]*#' "$overlay" | sed '/^[[:space:]]*$/d')
  else lines="dtparam=i2c_arm=on"; fi
  local l missing=""
  while IFS= read -r l; do grep -qxF "$l" "$(r "$cfg")" || missing="$missing$l"$'\n'; done <<< "$lines"
  [ -z "$missing" ] && return
  note "I2C enabled in $cfg (takes effect after a reboot)"
  [ "$dry" -eq 1 ] || printf '\n# Added by EdgeOps install.sh: I2C for the sensors.\n%s' "$missing" >> "$(r "$cfg")"
}

if [ "$uninstall" -eq 1 ]; then
  if [ "$live" -eq 1 ] && [ -d /run/systemd/system ] && systemctl is-enabled --quiet edgeops.service 2>/dev/null; then
    note "stop and disable edgeops.service"; act systemctl disable --now edgeops.service
  fi
  remove /etc/systemd/system/multi-user.target.wants/edgeops.service /etc/systemd/system/edgeops.service \
    /etc/systemd/system/edgeops.service.d /etc/udev/rules.d/99-edgeops.rules /etc/modules-load.d/edgeops.conf \
    /usr/bin/edgeops /usr/lib/edgeops
  if [ "$purge" -eq 1 ]; then
    remove /var/lib/edgeops /etc/edgeops
    if has_user "$user"; then
      note "remove user $user"
      if [ "$live" -eq 1 ]; then act userdel "$user"
      elif [ "$dry" -eq 0 ]; then
        sed -i "/^$user:/d" "$(r /etc/passwd)"
        awk -F: -v OFS=: -v u="$user" '$1 != u { n = split($4, m, ","); s = ""; for (i = 1; i <= n; i++) if (m[i] != u) s = s (s == "" ? "" : ",") m[i]; $4 = s; print }' "$(r /etc/group)" > "$(r /etc/group).new"
        mv "$(r /etc/group).new" "$(r /etc/group)"
      fi
    fi
  else
    echo "= kept /etc/edgeops, /var/lib/edgeops and user $user (--purge removes them)"
  fi
  [ "$live" -eq 1 ] && [ "$dry" -eq 0 ] && [ -d /run/systemd/system ] && systemctl daemon-reload
  echo "install.sh: $changes changes$([ "$dry" -eq 1 ] && echo " (dry run: nothing changed)")"
  exit 0
fi

if [ -z "$from" ]; then
  case "$(uname -m)" in aarch64) rid=linux-arm64 ;; x86_64) rid=linux-x64 ;; armv7l|armv6l) rid=linux-arm ;; *) rid=unknown ;; esac
  from="$repo/artifacts/publish/$rid"
fi
[ -x "$from/edgeops" ] || { echo "install.sh: no published gateway at $from (run deploy/publish.sh, or pass --from DIR)" >&2; exit 1; }
from=$(cd "$from" && pwd)
line=${line:-$(ls "$repo"/firmware-config/lines/*.yaml 2>/dev/null | head -1)}
[ -f "$line" ] || { echo "install.sh: no line config (--line FILE)" >&2; exit 1; }

for g in gpio i2c "$user"; do ensure_group "$g"; done
[ "$serial" -eq 1 ] && ensure_group dialout
ensure_user
install_binary
ensure_link /usr/lib/edgeops/edgeops /usr/bin/edgeops
ensure_dir /etc/edgeops 0750 root "$user"
ensure_file "$line" /etc/edgeops/line.yaml 0640 keep
owned "$(r /etc/edgeops/line.yaml)" /etc/edgeops/line.yaml root "$user"
ensure_file "$here/debian/edgeops.env" /etc/edgeops/edgeops.env 0600 keep
ensure_dir /etc/edgeops/credentials 0700 root root
ensure_dir /var/lib/edgeops 0750 "$user" "$user"
ensure_file "$here/systemd/edgeops.service" /etc/systemd/system/edgeops.service 0644
devices_dropin
ensure_link /etc/systemd/system/edgeops.service /etc/systemd/system/multi-user.target.wants/edgeops.service
ensure_file "$here/udev/99-edgeops.rules" /etc/udev/rules.d/99-edgeops.rules 0644
ensure_file "$here/debian/modules-load.conf" /etc/modules-load.d/edgeops.conf 0644
[ "$i2c" -eq 1 ] && enable_i2c

if [ "$live" -eq 1 ] && [ "$dry" -eq 0 ] && [ -d /run/systemd/system ] && [ "$changes" -gt 0 ]; then
  udevadm control --reload && udevadm trigger --subsystem-match=gpio --subsystem-match=i2c-dev || true
  modprobe i2c-dev 2>/dev/null || true
  systemctl daemon-reload
  systemctl restart edgeops.service && echo "+ edgeops.service (re)started" \
    || echo "install.sh: edgeops did not start: run 'sudo -u edgeops edgeops doctor' and 'journalctl -u edgeops'" >&2
fi
echo "install.sh: $changes changes$([ "$dry" -eq 1 ] && echo " (dry run: nothing changed)")"
