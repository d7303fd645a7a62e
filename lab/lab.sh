#!/usr/bin/env bash
# The GlusterFS lab: Debian VMs under QEMU (TCG) in a network namespace of their own.
#   lab.sh up [--nodes N] [--disks M]   build if needed, start from the saved snapshot (cold boot + snapshot once)
#   lab.sh down                         stop everything the lab started; harmless when nothing runs
#   lab.sh reset                        back to the clean, un-peered snapshot with empty data disks
#   lab.sh status [--json]              what runs and how to reach it
#   lab.sh exec -- CMD...               run CMD inside the lab's network namespace
#   lab.sh ssh N [CMD...]               ssh to node N (from inside the namespace, pinned host key)
#   lab.sh power N off|on               cut node N's power (its disks keep what they had) / boot it again
#   lab.sh build (or prepare)           only install machine packages and build the image
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STATE="$LAB_RUN/state"
KNOWN_HOSTS="$LAB_RUN/known_hosts"
HOSTS_FILE="/etc/netns/$LAB_NS/hosts"
BRIDGE=labbr0
BRIDGE_MAC=52:54:00:77:00:01

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

ensure_host_packages() {
  local missing=() c
  for c in qemu-system-x86_64 qemu-img debootstrap mkfs.ext4 mkfs.xfs ssh ssh-keygen ip socat; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  [ -x /sbin/mount.glusterfs ] || command -v mount.glusterfs >/dev/null 2>&1 || missing+=(mount.glusterfs)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing machine packages (missing: ${missing[*]})"
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them; install: $LAB_HOST_PACKAGES"
  # shellcheck disable=SC2086
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $LAB_HOST_PACKAGES; } \
    >"$LAB_CACHE/apt.log" 2>&1 || { tail -n 20 "$LAB_CACHE/apt.log" >&2; die "could not install machine packages: $LAB_HOST_PACKAGES (log: $LAB_CACHE/apt.log)"; }
  for c in "${missing[@]}"; do
    [ "$c" = mount.glusterfs ] && continue
    command -v "$c" >/dev/null 2>&1 || die "still missing after install: $c"
  done
}

lock() {
  mkdir -p "$LAB_CACHE"
  # Children never inherit the lock: every long-lived process is started with 9>&-.
  exec 9>"$LAB_CACHE/.lock"
  flock -w 1200 9 || die "another lab command holds $LAB_CACHE/lab.lock"
}

# ---------------------------------------------------------------- processes
# A pid is ours only if its command line mentions the lab's run directory.
pid_is_ours() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$LAB_RUN/"
}
stop_pidfile() {
  local f=$1 pid i
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null || true)"
  if pid_is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$f"
}
node_pid() { local f="$LAB_RUN/node-$1/qemu.pid"; [ -f "$f" ] && cat "$f"; }
node_alive() { local p; p="$(node_pid "$1" 2>/dev/null || true)"; pid_is_ours "$p"; }

# ---------------------------------------------------------------- QMP
# qmp SOCKET JSON: sends one command after the handshake, prints the reply line.
qmp() {
  local sock=$1 cmd=$2 line reply=""
  coproc QMP { exec socat -t 1800 - "UNIX-CONNECT:$sock" 2>/dev/null 9>&-; }
  local in=${QMP[0]} out=${QMP[1]} qpid=$QMP_PID
  read -r -t 20 line <&"$in" || { kill "$qpid" 2>/dev/null; return 1; }
  echo '{"execute":"qmp_capabilities"}' >&"$out"
  while read -r -t 20 line <&"$in"; do case $line in *'"return"'*) break ;; esac; done
  echo "$cmd" >&"$out"
  while read -r -t 1800 line <&"$in"; do
    line=${line%$'\r'}
    case $line in *'"return"'* | *'"error"'*) reply=$line; break ;; esac
  done
  eval "exec $out>&-"
  wait "$qpid" 2>/dev/null || true
  printf '%s\n' "$reply"
  [ -n "$reply" ]
}
hmp() { # hmp NODE "command" -> fails unless the monitor answers with nothing
  local r
  r="$(qmp "$LAB_RUN/node-$1/qmp.sock" "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"$2\"}}")" || return 1
  [ "$r" = '{"return": ""}' ] || { log "node $1: '$2' answered: $r"; return 1; }
}

# ---------------------------------------------------------------- network
net_up() {
  local nodes=$1 n
  ip netns add "$LAB_NS"
  ip -n "$LAB_NS" link set lo up
  ip -n "$LAB_NS" link add "$BRIDGE" address "$BRIDGE_MAC" type bridge
  ip -n "$LAB_NS" addr add "$LAB_HOST_ADDR/24" dev "$BRIDGE"
  ip -n "$LAB_NS" link set "$BRIDGE" up
  for n in $(seq 1 "$nodes"); do
    ip netns exec "$LAB_NS" ip tuntap add dev "labtap$n" mode tap
    ip -n "$LAB_NS" link set "labtap$n" master "$BRIDGE" up
  done
  mkdir -p "/etc/netns/$LAB_NS"
  {
    echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    echo "$LAB_HOST_ADDR lab-host"
    for n in $(seq 1 "$nodes"); do echo "$(node_addr "$n") $(node_name "$n")"; done
  } >"$HOSTS_FILE"
}
net_down() {
  if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$LAB_NS"; then ip netns del "$LAB_NS"; fi
  rm -rf "/etc/netns/$LAB_NS"
}

# ---------------------------------------------------------------- QEMU
# qemu_args N M DIR IMG: the exact command line of node N; the snapshot key is its hash.
qemu_args() {
  local n=$1 m=$2 d=$3 img=$4 k
  QARGS=(qemu-system-x86_64 -name "$(node_name "$n")" -machine pc -accel tcg,tb-size=256
    -nodefaults -no-user-config -display none -smp 1 -m "$LAB_MEM_MB" -rtc base=utc
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img"
    -append "root=/dev/vda rw console=ttyS0 quiet net.ifnames=0 mitigations=off lab.node=$n"
    -drive "file=$d/root.qcow2,if=virtio,format=qcow2,cache=unsafe")
  for k in $(seq 1 "$m"); do QARGS+=(-drive "file=$d/disk-$k.qcow2,if=virtio,format=qcow2,cache=unsafe"); done
  QARGS+=(-object rng-random,id=rng0,filename=/dev/urandom -device virtio-rng-pci,rng=rng0
    -netdev "tap,id=net0,ifname=labtap$n,script=no,downscript=no" -device "virtio-net-pci,netdev=net0,mac=$(node_mac "$n")"
    -serial "file:$d/console.log" -qmp "unix:$d/qmp.sock,server=on,wait=off"
    -daemonize -pidfile "$d/qemu.pid")
}
snap_key() { qemu_args "$1" "$2" @DIR@ @IMG@; printf '%s\n' "${QARGS[@]}" | sha256sum | cut -c1-16; }
snap_dir() { echo "$IMG/snap/$(snap_key "$1" "$2")"; }

start_node() { # start_node N M [loadvm]
  local n=$1 m=$2 d="$LAB_RUN/node-$1"
  qemu_args "$n" "$m" "$d" "$IMG"
  [ "${3:-}" = loadvm ] && QARGS+=(-loadvm booted)
  rm -f "$d/qmp.sock" "$d/qemu.pid"
  ip netns exec "$LAB_NS" "${QARGS[@]}" >>"$d/qemu.log" 2>&1 9>&- || { tail -n 5 "$d/qemu.log" >&2; die "qemu for node $n did not start"; }
}
lab_ssh() { # lab_ssh N CMD...
  local n=$1; shift
  ip netns exec "$LAB_NS" ssh -i "$IMG/keys/id_ed25519" -o UserKnownHostsFile="$KNOWN_HOSTS" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR \
    "root@$(node_addr "$n")" "$@"
}
wait_port() { # wait_port N TIMEOUT
  local n=$1 deadline=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    node_alive "$n" || { log "node $n: qemu exited (see $LAB_RUN/node-$n/console.log)"; return 1; }
    if ip netns exec "$LAB_NS" timeout 3 bash -c "exec 3<>/dev/tcp/$(node_addr "$n")/22" 2>/dev/null; then return 0; fi
    sleep 1
  done
  log "node $n: no ssh after $2 s (see $LAB_RUN/node-$n/console.log)"
  return 1
}
write_known_hosts() {
  local nodes=$1 n key
  : >"$KNOWN_HOSTS"
  for n in $(seq 1 "$nodes"); do
    key="$(host_key "$n")"
    echo "$(node_addr "$n") $key" >>"$KNOWN_HOSTS"
    echo "$(node_name "$n") $key" >>"$KNOWN_HOSTS"
    echo "[127.0.0.1]:$((LAB_FORWARD_BASE + n)) $key" >>"$KNOWN_HOSTS"
  done
}
host_key() { cut -d' ' -f1,2 "$IMG/keys/node-$1/ssh_host_ed25519_key.pub"; }

run_parallel() { # run_parallel FUNC NODES...: runs FUNC N for each node at once, fails if any failed
  local f=$1 pids=() n rc=0 p; shift
  for n in "$@"; do "$f" "$n" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return $rc
}

# Cold boot one node from the base image, wait until it has settled, then save the snapshot.
cold_node() {
  local n=$1 d="$LAB_RUN/node-$1" k
  rm -f "$d"/*.qcow2
  qemu-img create -q -f qcow2 -b "$IMG/base.img" -F raw "$d/root.qcow2"
  for k in $(seq 1 "$DISKS"); do qemu-img create -q -f qcow2 "$d/disk-$k.qcow2" "$LAB_DISK_SIZE"; done
  start_node "$n" "$DISKS"
  wait_port "$n" 600 || return 1
  local _
  for _ in $(seq 1 30); do
    lab_ssh "$n" 'timeout 180 systemctl is-system-running --wait >/dev/null 2>&1; systemctl is-active --quiet glusterd && gluster peer status >/dev/null' && break
    sleep 2
  done
  lab_ssh "$n" 'gluster peer status | grep -q "Number of Peers: 0" && lsmod | grep -q dm_thin_pool && sync && echo 3 > /proc/sys/vm/drop_caches' ||
    { log "node $n did not settle"; return 1; }
  hmp "$n" "savevm booted" || return 1
  stop_pidfile "$d/qemu.pid"
  local sd; sd="$(snap_dir "$n" "$DISKS")"
  rm -rf "$sd.tmp.$n"; mkdir -p "$sd.tmp.$n"
  cp --sparse=always "$d"/*.qcow2 "$sd.tmp.$n/"
  rm -rf "$sd"; mv "$sd.tmp.$n" "$sd"
}
warm_node() {
  local n=$1 d="$LAB_RUN/node-$1" sd k
  sd="$(snap_dir "$n" "$DISKS")"
  rm -f "$d"/*.qcow2
  cp --sparse=always --reflink=auto "$sd"/*.qcow2 "$d/"
  start_node "$n" "$DISKS" loadvm
}
settle_node() { # after a snapshot restore: sshd answers, clock set
  local n=$1
  wait_port "$n" 120 || return 1
  lab_ssh "$n" "date -s @$(date +%s.%N) >/dev/null" || { log "node $n: ssh failed after restore"; return 1; }
}

# ssh forwards 127.0.0.1:(BASE+N) -> node N:22 through a unix socket, so processes outside the namespace reach sshd.
start_forwards() {
  local n d="$LAB_RUN/fwd"
  mkdir -p "$d"
  for n in $(seq 1 "$NODES"); do
    if pid_is_ours "$(cat "$d/inner-$n.pid" 2>/dev/null)" && pid_is_ours "$(cat "$d/outer-$n.pid" 2>/dev/null)"; then continue; fi
    stop_pidfile "$d/inner-$n.pid"; stop_pidfile "$d/outer-$n.pid"
    rm -f "$d/node-$n.sock"
    ip netns exec "$LAB_NS" setsid socat "UNIX-LISTEN:$d/node-$n.sock,fork,unlink-early" "TCP:$(node_addr "$n"):22" \
      </dev/null >/dev/null 2>&1 9>&- & echo $! >"$d/inner-$n.pid"
    setsid socat "TCP-LISTEN:$((LAB_FORWARD_BASE + n)),bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$d/node-$n.sock" \
      </dev/null >/dev/null 2>&1 9>&- & echo $! >"$d/outer-$n.pid"
  done
}

# Images of older recipes go once no lab instance uses them (their overlays point at base.img).
prune_images() {
  local d
  for d in "$LAB_CACHE"/image-*; do
    [ -d "$d" ] && [ "$d" != "$IMG" ] || continue
    grep -qsF "$d" "$LAB_CACHE"/run*/state && continue
    log "removing the image of an older recipe: $d"
    rm -rf "$d"
  done
}

# ---------------------------------------------------------------- commands
load_state() {
  [ -f "$STATE" ] || return 1
  # shellcheck disable=SC1090
  . "$STATE"
}

teardown() {
  local f p pids=()
  # The overlays are thrown away, so nothing needs a clean exit: stop all at once.
  for f in "$LAB_RUN"/fwd/*.pid "$LAB_RUN"/node-*/qemu.pid; do
    [ -e "$f" ] || continue
    p="$(cat "$f" 2>/dev/null || true)"
    if pid_is_ours "$p"; then kill -KILL "$p" 2>/dev/null || true; pids+=("$p"); fi
    rm -f "$f"
  done
  for p in "${pids[@]}"; do for f in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  # Whatever else still runs inside the namespace was started through `exec` (e.g. a FUSE client of a test):
  # stop those by pid too, so the namespace really goes away.
  if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$LAB_NS"; then
    for p in $(ip netns pids "$LAB_NS" 2>/dev/null); do kill -TERM "$p" 2>/dev/null || true; done
    for f in $(seq 1 30); do [ -z "$(ip netns pids "$LAB_NS" 2>/dev/null)" ] && break; sleep 0.1; done
    for p in $(ip netns pids "$LAB_NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  fi
  net_down
  rm -rf "$LAB_RUN"
}

cmd_down() {
  require_root; lock
  if [ -d "$LAB_RUN" ] || [ -d "/etc/netns/$LAB_NS" ] || ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$LAB_NS"; then
    teardown; log "lab is down"
  else
    log "lab was not running"
  fi
}

all_alive() { local n; for n in $(seq 1 "$1"); do node_alive "$n" || return 1; done; }

cmd_up() {
  local want_nodes=3 want_disks=2
  while [ $# -gt 0 ]; do
    case $1 in
      --nodes) want_nodes=$2; shift 2 ;;
      --nodes=*) want_nodes=${1#*=}; shift ;;
      --disks) want_disks=$2; shift 2 ;;
      --disks=*) want_disks=${1#*=}; shift ;;
      *) die "unknown option for up: $1" ;;
    esac
  done
  [[ $want_nodes =~ ^[0-9]+$ ]] && [ "$want_nodes" -ge 1 ] && [ "$want_nodes" -le "$LAB_MAX_NODES" ] || die "--nodes must be 1..$LAB_MAX_NODES"
  [[ $want_disks =~ ^[0-9]+$ ]] && [ "$want_disks" -ge 1 ] && [ "$want_disks" -le 8 ] || die "--disks must be 1..8"
  require_root
  mkdir -p "$LAB_CACHE"
  lock
  ensure_host_packages
  [ -e /dev/net/tun ] || die "/dev/net/tun is missing"
  IMG="$(bash "$LAB_ROOT/image.sh" | tail -n1)"

  if load_state; then
    if [ "$NODES" = "$want_nodes" ] && [ "$DISKS" = "$want_disks" ] && [ "$IMAGE" = "$IMG" ] && all_alive "$NODES"; then
      start_forwards
      log "lab is already up ($NODES nodes, $DISKS disks each)"; return 0
    fi
    if all_alive "$NODES" && [ "$IMAGE" = "$IMG" ]; then
      die "lab is up with $NODES nodes x $DISKS disks; run 'lab down' first to change it"
    fi
    if [ "$IMAGE" != "$IMG" ]; then log "the lab recipe changed: replacing the running lab"
    else log "cleaning up a previous lab that is not healthy"; fi
  fi
  teardown
  prune_images
  NODES=$want_nodes DISKS=$want_disks
  mkdir -p "$LAB_RUN"
  local n cold=() warm=()
  for n in $(seq 1 "$NODES"); do
    mkdir -p "$LAB_RUN/node-$n"
    if [ -f "$(snap_dir "$n" "$DISKS")/root.qcow2" ]; then warm+=("$n"); else cold+=("$n"); fi
  done
  net_up "$NODES"
  write_known_hosts "$NODES"
  printf 'NODES=%s\nDISKS=%s\nIMAGE=%q\nNS=%q\n' "$NODES" "$DISKS" "$IMG" "$LAB_NS" >"$STATE"

  if [ ${#cold[@]} -gt 0 ]; then
    log "cold boot of node(s) ${cold[*]} (about 100 s for 3) and snapshot"
    local t0; t0=$(now)
    run_parallel cold_node "${cold[@]}" || { teardown; die "cold boot failed"; }
    local cs; cs=$(elapsed "$t0")
    printf '{"nodes":%s,"disks":%s,"coldBootSeconds":%s,"at":"%s"}\n' "${#cold[@]}" "$DISKS" "$cs" "$(date -u +%FT%TZ)" >"$IMG/cold-boot.json"
    log "cold boot and snapshot took ${cs}s"
  fi
  local t1; t1=$(now)
  for n in $(seq 1 "$NODES"); do warm_node "$n"; done
  run_parallel settle_node $(seq 1 "$NODES") || { teardown; die "nodes did not come back from the snapshot"; }
  local ws; ws=$(elapsed "$t1")
  echo "WARM_SECONDS=$ws" >>"$STATE"
  start_forwards
  log "lab is up: $NODES nodes x $DISKS disks, warm start ${ws}s; namespace $LAB_NS"
}

reset_node() {
  local n=$1
  if node_alive "$n" && hmp "$n" "loadvm booted"; then return 0; fi
  log "node $n: restarting from the snapshot"
  stop_pidfile "$LAB_RUN/node-$n/qemu.pid"
  warm_node "$n"
}
cmd_reset() {
  require_root; lock
  load_state || die "lab is not up"
  IMG=$IMAGE
  local t0; t0=$(now)
  run_parallel reset_node $(seq 1 "$NODES") || die "reset failed"
  run_parallel settle_node $(seq 1 "$NODES") || die "nodes did not come back after reset"
  log "lab reset in $(elapsed "$t0")s"
}

json_str() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
cmd_status() {
  local json=0
  [ "${1:-}" = --json ] && json=1
  local up=false n k
  if load_state; then IMG=$IMAGE; all_alive "$NODES" && up=true; else NODES=0; DISKS=0; fi
  if [ $json = 1 ]; then
    printf '{"namespace":%s,"running":%s,"hostsFile":%s,"knownHostsFile":%s,"hostAddress":"%s","runDir":%s,"imageDir":%s,"warmStartSeconds":%s,"nodes":[' \
      "$(json_str "$LAB_NS")" "$up" "$(json_str "$HOSTS_FILE")" "$(json_str "$KNOWN_HOSTS")" "$LAB_HOST_ADDR" "$(json_str "$LAB_RUN")" \
      "$(json_str "${IMG:-}")" "${WARM_SECONDS:-null}"
    for n in $(seq 1 "$NODES"); do
      [ "$n" -gt 1 ] && printf ','
      local disks="" pid alive=false
      for k in $(seq 1 "$DISKS"); do disks+="${disks:+,}\"$(disk_dev "$k")\""; done
      pid="$(node_pid "$n" 2>/dev/null || echo 0)"
      node_alive "$n" && alive=true
      printf '{"name":"%s","address":"%s","storageAddress":"%s","sshPort":22,"user":"root","privateKeyPath":%s,"hostKey":"%s","dataDisks":[%s],"forwardHost":"127.0.0.1","forwardPort":%s,"pid":%s,"running":%s,"serialLog":%s}' \
        "$(node_name "$n")" "$(node_addr "$n")" "$(node_name "$n")" "$(json_str "$IMG/keys/id_ed25519")" "$(host_key "$n")" \
        "$disks" "$((LAB_FORWARD_BASE + n))" "${pid:-0}" "$alive" "$(json_str "$LAB_RUN/node-$n/console.log")"
    done
    printf ']}\n'
  else
    if [ "$NODES" = 0 ]; then echo "lab: down"; return 0; fi
    echo "lab: $([ $up = true ] && echo up || echo degraded), namespace $LAB_NS, $NODES nodes x $DISKS disks, image $IMG"
    for n in $(seq 1 "$NODES"); do
      printf '  %-10s %-12s pid %-8s %s  ssh: lab.sh ssh %s | 127.0.0.1:%s\n' "$(node_name "$n")" "$(node_addr "$n")" \
        "$(node_pid "$n" 2>/dev/null || echo -)" "$(node_alive "$n" && echo running || echo DEAD)" "$n" "$((LAB_FORWARD_BASE + n))"
    done
    echo "  key: $IMG/keys/id_ed25519  known_hosts: $KNOWN_HOSTS"
  fi
}

cmd_exec() {
  require_root
  [ "${1:-}" = -- ] && shift
  [ $# -gt 0 ] || die "usage: lab.sh exec -- CMD..."
  ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$LAB_NS" || die "lab is not up (no namespace $LAB_NS)"
  exec ip netns exec "$LAB_NS" "$@"
}
# Power cut and cold boot of one node, for fault tests: `off` ends QEMU at once (the guest loses what
# it had not written, the disk images stay consistent); `on` boots the same disks and waits for glusterd.
cmd_power() {
  require_root; lock
  load_state || die "lab is not up"
  IMG=$IMAGE
  local n=${1:-} what=${2:-} d
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$NODES" ] || die "usage: lab.sh power N off|on"
  d="$LAB_RUN/node-$n"
  case $what in
    off)
      if node_alive "$n"; then
        local p i; p="$(node_pid "$n")"
        qmp "$d/qmp.sock" '{"execute":"quit"}' >/dev/null || true
        # QEMU removes its pidfile as it exits: wait on the pid read before.
        for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        stop_pidfile "$d/qemu.pid"
      fi
      log "node $n is off" ;;
    on)
      node_alive "$n" && { log "node $n is already on"; return 0; }
      local t0; t0=$(now)
      start_node "$n" "$DISKS"
      wait_port "$n" 600 || die "node $n did not boot"
      lab_ssh "$n" "date -s @$(date +%s.%N) >/dev/null; timeout 300 systemctl is-system-running --wait >/dev/null 2>&1; systemctl is-active --quiet glusterd" ||
        die "node $n booted but glusterd is not active (see $d/console.log)"
      log "node $n is on again after $(elapsed "$t0")s" ;;
    *) die "usage: lab.sh power N off|on" ;;
  esac
}
cmd_ssh() {
  require_root
  load_state || die "lab is not up"
  IMG=$IMAGE
  local n=${1:-}; shift || true
  [ "${1:-}" = -- ] && shift
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -le "$NODES" ] || die "usage: lab.sh ssh N [CMD...]"
  lab_ssh "$n" "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  status) shift; cmd_status "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  ssh) shift; cmd_ssh "$@" ;;
  power) shift; cmd_power "$@" ;;
  build | prepare) require_root; mkdir -p "$LAB_CACHE"; lock; ensure_host_packages; bash "$LAB_ROOT/image.sh" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && [ "$1" != help ] && [ "$1" != --help ] && exit 2; exit 0 ;;
esac
