#!/usr/bin/env bash
# `npm start`: a running lab and the quickstart on it. Boots the lab (three Debian VMs with
# glusterd, LVM thin and sshd), runs `pulumi up` of the root Pulumi.yaml (examples/quickstart),
# prints how to mount the volume, mounts it inside the lab's namespace, writes and reads a file.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pulumi_lab() { bash examples/pulumi-lab.sh "$@"; }

say "Booting the lab (npm run lab -- up)"
bash lab/lab.sh up

say "Stack 'demo' with the lab's SSH key as a secret"
pulumi_lab stack select --create demo >/dev/null
key="$(bash lab/lab.sh status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).nodes[0].privateKeyPath))')"
pulumi_lab config set --secret glusterfs:privateKey <"$key" >/dev/null

say "pulumi preview --diff: the bricks that will be made"
pulumi_lab preview --diff | grep -E '^\s+[+~-]?\s*(pulumi-nodejs|node |device |size |storage )' || true

say "pulumi up"
pulumi_lab up --yes --skip-preview

src="$(pulumi_lab stack output mountSource)"
opts="$(pulumi_lab stack output mountOptions)"
say "Mount it: mount -t glusterfs -o $opts $src /mnt/data"
bash lab/lab.sh exec -- bash -c "mkdir -p /mnt/demo && (mountpoint -q /mnt/demo || mount -t glusterfs -o '$opts' '$src' /mnt/demo) &&
  echo 'hello from pulumi-glusterfs' > /mnt/demo/hello.txt && echo \"read back: \$(cat /mnt/demo/hello.txt)\" &&
  df -h /mnt/demo | tail -1 && umount /mnt/demo"

cat <<'TXT'

Next:
  expand to 10Gi:  npm run pulumi -- config set size 10Gi && npm run pulumi -- up --yes
  see drift:       npm run pulumi -- refresh
  tear down:       npm run pulumi -- destroy --yes && npm run lab -- down
TXT
