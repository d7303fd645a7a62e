#!/usr/bin/env bash
# Builds the lab's guest image from Debian packages: `bash lab/image.sh` prints the image directory.
# Stage 1 (debootstrap, ~3 min) is cached by package list; stage 2 (configuration, ext4 image) by this file's hash.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_root

IMG="$(image_dir)"
if [ -f "$IMG/complete" ]; then echo "$IMG"; exit 0; fi
mkdir -p "$LAB_CACHE"

# ---- stage 1: debootstrap ------------------------------------------------------------------------------
ROOTFS_CACHE="$LAB_CACHE/rootfs-$(rootfs_hash)"
debootstrap_s=0
if [ ! -f "$ROOTFS_CACHE/.complete" ]; then
  command -v debootstrap >/dev/null || die "debootstrap is missing (lab up installs it)"
  rm -rf "$ROOTFS_CACHE.tmp"
  mirror="$(debian_mirror)"
  log "debootstrap $LAB_SUITE (about 3 minutes)"
  d0=$(date +%s)
  debootstrap --variant=minbase --include="$LAB_GUEST_PACKAGES" "$LAB_SUITE" "$ROOTFS_CACHE.tmp" "$mirror" \
    >"$LAB_CACHE/debootstrap.log" 2>&1 || { tail -n 30 "$LAB_CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $LAB_CACHE/debootstrap.log)"; }
  debootstrap_s=$(( $(date +%s) - d0 ))
  rm -rf "$ROOTFS_CACHE"
  mv "$ROOTFS_CACHE.tmp" "$ROOTFS_CACHE"
  echo "$debootstrap_s" >"$ROOTFS_CACHE/.seconds"
  touch "$ROOTFS_CACHE/.complete"
fi
debootstrap_s="$(cat "$ROOTFS_CACHE/.seconds" 2>/dev/null || echo 0)"

# ---- stage 2: configure a copy and make the disk image ------------------------------------------------
t0=$(date +%s.%N)
TMP="$IMG.tmp"
rm -rf "$TMP"
mkdir -p "$TMP/keys"
R="$TMP/rootfs"
log "configuring the guest root filesystem"
cp -a "$ROOTFS_CACHE" "$R"
rm -f "$R/.complete" "$R/.seconds"

# Keys: one client key, one host key per possible node (pinned before any boot).
ssh-keygen -q -t ed25519 -N '' -C pulumi-glusterfs-lab -f "$TMP/keys/id_ed25519"
for n in $(seq 1 "$LAB_MAX_NODES"); do
  mkdir -p "$TMP/keys/node-$n" "$R/etc/ssh/lab/node-$n"
  ssh-keygen -q -t ed25519 -N '' -C "root@$(node_name "$n")" -f "$TMP/keys/node-$n/ssh_host_ed25519_key"
  cp "$TMP/keys/node-$n"/ssh_host_ed25519_key* "$R/etc/ssh/lab/node-$n/"
done
chmod 700 "$R/etc/ssh/lab"
rm -f "$R"/etc/ssh/ssh_host_*
mkdir -p "$R/root/.ssh"
cp "$TMP/keys/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
chmod 700 "$R/root/.ssh"; chmod 600 "$R/root/.ssh/authorized_keys"

cat >"$R/etc/ssh/sshd_config.d/lab.conf" <<'CONF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
CONF

# Identity and network from the kernel command line (lab.node=N), so one image serves every node.
cat >"$R/usr/local/sbin/lab-node-setup" <<SCRIPT
#!/bin/sh
set -e
n=\$(sed -n 's/.*lab\.node=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "\$n" ] || exit 0
name="gluster-\$n"
echo "\$name" > /etc/hostname
hostname "\$name"
cp /etc/ssh/lab/node-\$n/ssh_host_ed25519_key /etc/ssh/lab/node-\$n/ssh_host_ed25519_key.pub /etc/ssh/
chmod 600 /etc/ssh/ssh_host_ed25519_key
mkdir -p /run/systemd/network
cat > /run/systemd/network/10-lab.network <<NET
[Match]
Type=ether

[Link]
RequiredForOnline=no

[Network]
Address=$LAB_SUBNET_PREFIX.\$((10 + n))/24
LinkLocalAddressing=no
IPv6AcceptRA=no
NET
SCRIPT
chmod 755 "$R/usr/local/sbin/lab-node-setup"
cat >"$R/etc/systemd/system/lab-node.service" <<'UNIT'
[Unit]
Description=Lab node identity from the kernel command line
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target systemd-networkd.service ssh.service glusterd.service sysinit.target
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/lab-node-setup

[Install]
WantedBy=sysinit.target
UNIT

{
  echo "127.0.0.1 localhost"
  echo "::1 localhost ip6-localhost ip6-loopback"
  for n in $(seq 1 "$LAB_MAX_NODES"); do echo "$(node_addr "$n") $(node_name "$n")"; done
} >"$R/etc/hosts"
echo gluster >"$R/etc/hostname"
echo "/dev/vda / ext4 defaults,noatime 0 1" >"$R/etc/fstab"
: >"$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id"
echo dm_thin_pool >"$R/etc/modules-load.d/lab.conf"
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n' >"$R/etc/systemd/journald.conf.d/lab.conf"
mkdir -p "$R/etc/systemd/system.conf.d"
printf '[Manager]\nDefaultTimeoutStopSec=10s\n' >"$R/etc/systemd/system.conf.d/lab.conf"

# glusterd spends about a minute under TCG in gsyncd on first start: divert it away (absent, not a stub).
for g in /usr/libexec/glusterfs/gsyncd /usr/lib/x86_64-linux-gnu/glusterfs/gsyncd; do
  if [ -e "$R$g" ]; then chroot "$R" dpkg-divert --local --rename --divert "$g.lab-disabled" --add "$g" >/dev/null; fi
done
rm -f "$R/var/lib/glusterd/glusterd.info"

chroot "$R" systemctl enable lab-node.service systemd-networkd.service ssh.service glusterd.service >/dev/null 2>&1
chroot "$R" systemctl mask systemd-networkd-wait-online.service e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer apt-daily.timer apt-daily-upgrade.timer man-db.timer dpkg-db-backup.timer \
  systemd-timesyncd.service glustereventsd.service >/dev/null 2>&1 || true
rm -f "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/*_Packages

kernel="$(ls "$R"/boot/vmlinuz-* | sort -V | tail -n1)"
initrd="$(ls "$R"/boot/initrd.img-* | sort -V | tail -n1)"
[ -f "$kernel" ] && [ -f "$initrd" ] || die "no kernel/initrd in the root filesystem"
cp "$kernel" "$TMP/vmlinuz"; cp "$initrd" "$TMP/initrd.img"

log "making the ext4 disk image"
mkfs.ext4 -q -F -L vmroot -d "$R" "$TMP/base.img" 4G >&2
rm -rf "$R"
chmod 600 "$TMP/keys/id_ed25519"

t1=$(date +%s.%N)
build_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
# imageSeconds: configuration and imaging (stage 2); debootstrapSeconds: stage 1 (cached across recipe changes).
printf '{"imageHash":"%s","builtAt":"%s","imageSeconds":%s,"debootstrapSeconds":%s}\n' \
  "$(image_hash)" "$(date -u +%FT%TZ)" "$build_s" "$debootstrap_s" >"$TMP/meta.json"
touch "$TMP/complete"
rm -rf "$IMG"
mv "$TMP" "$IMG"
log "image ready in ${build_s}s: $IMG"
echo "$IMG"
