# Shared settings and helpers for the lab scripts. Sourced, not run.
# shellcheck shell=bash

LAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_CACHE="${PULUMI_GLUSTERFS_CACHE:-$HOME/.cache/pulumi-glusterfs}/lab"
# PULUMI_GLUSTERFS_LAB_INSTANCE=NAME runs a second, independent lab (own namespace, run directory and forwarded
# ports) next to the default one, sharing the cached image and snapshots: for benchmarks or tests that must not
# disturb the shared lab.
LAB_INSTANCE="${PULUMI_GLUSTERFS_LAB_INSTANCE:-}"
if [ -n "$LAB_INSTANCE" ]; then
  [[ $LAB_INSTANCE =~ ^[a-z0-9]{1,8}$ ]] || { echo "[lab] error: PULUMI_GLUSTERFS_LAB_INSTANCE must be 1-8 of [a-z0-9]" >&2; exit 1; }
  LAB_NS="${PULUMI_GLUSTERFS_LAB_NS:-glusterlab-$LAB_INSTANCE}"
  LAB_RUN="${PULUMI_GLUSTERFS_LAB_RUN:-$LAB_CACHE/run-$LAB_INSTANCE}"
  _fwd=$((23000 + ($(printf '%s' "$LAB_INSTANCE" | cksum | cut -d' ' -f1) % 40) * 100))
else
  LAB_NS="${PULUMI_GLUSTERFS_LAB_NS:-glusterlab}"
  LAB_RUN="${PULUMI_GLUSTERFS_LAB_RUN:-$LAB_CACHE/run}"
  _fwd=22000
fi
LAB_SUITE=bookworm
LAB_MAX_NODES=8
LAB_SUBNET_PREFIX=10.77.0
LAB_HOST_ADDR="$LAB_SUBNET_PREFIX.1"
LAB_MEM_MB="${PULUMI_GLUSTERFS_LAB_MEM:-1024}"
LAB_DISK_SIZE=20G
LAB_FORWARD_BASE="${PULUMI_GLUSTERFS_LAB_FORWARD_BASE:-$_fwd}"   # 127.0.0.1:(BASE+N) forwards to node N's sshd inside the namespace

# Packages inside the guest image.
LAB_GUEST_PACKAGES="linux-image-amd64,systemd-sysv,udev,kmod,initramfs-tools,openssh-server,glusterfs-server,lvm2,thin-provisioning-tools,xfsprogs,attr,iproute2,sudo,procps,iputils-ping,netbase,dbus"
# Packages on the machine itself (Debian names).
LAB_HOST_PACKAGES="qemu-system-x86 qemu-utils debootstrap e2fsprogs xfsprogs openssh-client iproute2 socat glusterfs-client"

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

node_name() { echo "gluster-$1"; }
node_addr() { echo "$LAB_SUBNET_PREFIX.$((10 + $1))"; }
node_mac() { printf '52:54:00:77:00:%02x' "$((16 + $1))"; }
disk_dev() { local letters=bcdefghijklmnop; echo "/dev/vd${letters:$(($1 - 1)):1}"; }

require_root() {
  [ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces, taps, debootstrap); run it as root"
}

# The Debian mirror the machine's apt uses (never hard-coded here).
debian_mirror() {
  if [ -n "${LAB_DEBIAN_MIRROR:-}" ]; then echo "$LAB_DEBIAN_MIRROR"; return; fi
  local m
  m="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)"
  [ -n "$m" ] || m="$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v security | awk '{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | head -n1)"
  [ -n "$m" ] || die "cannot find a Debian mirror in /etc/apt; set LAB_DEBIAN_MIRROR"
  echo "$m"
}

# Hash of everything that goes into the guest image.
rootfs_hash() { printf '%s\n' "$LAB_SUITE" minbase "$LAB_GUEST_PACKAGES" | sha256sum | cut -c1-16; }
image_hash() {
  { rootfs_hash; cat "$LAB_ROOT/image.sh"; echo "$LAB_MAX_NODES $LAB_SUBNET_PREFIX"; declare -f node_name node_addr; } |
    sha256sum | cut -c1-16
}
image_dir() { echo "$LAB_CACHE/image-$(image_hash)"; }
