#!/usr/bin/env bash
# Prepares the real test bed on a Debian 12 host, as root: packages, Docker engine, single-node Swarm,
# the offline test image, and loop-mounted XFS/btrfs filesystems. Idempotent: safe to run again.
set -euo pipefail

WARM_TESTBED_DIR=${WARM_TESTBED_DIR:-/var/tmp/cc-ci-warm-testbed}
TEST_IMAGE=${WARM_TEST_IMAGE:-warm-test/busybox:1}
log() { echo "testbed: $*" >&2; }

need_pkgs=()
for p in docker.io xfsprogs btrfs-progs busybox-static git curl ca-certificates util-linux strace sudo maven openjdk-17-jdk-headless; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# Docker engine: start one if none answers. No systemd here as PID 1 on CI machines, so start dockerd directly.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p /var/log
  # A session of its own: the engine must outlive the shell (and its process group) that started it — a job
  # runner that kills its job's group would otherwise take the test bed's engine with it.
  setsid nohup dockerd >>/var/log/cc-ci-warm-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not come up; see /var/log/cc-ci-warm-dockerd.log"; tail -20 /var/log/cc-ci-warm-dockerd.log >&2; exit 1; }
fi

# Single-node Swarm.
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
  log "docker swarm init"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

# Offline test image: a rootfs holding Debian's busybox-static (no registry is reachable).
if ! docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
  log "building $TEST_IMAGE from busybox-static"
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,tmp,data,etc,proc,sys,dev,run,var/www}
  cp /bin/busybox "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s 2>/dev/null || (cd "$root/bin" && for a in $(./busybox --list); do ln -sf busybox "$a"; done)
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$TEST_IMAGE" >/dev/null
  rm -rf "$root"
fi

# Loop-mounted reflink filesystems (XFS, btrfs) for the snapshot engine; ext4/root exercises the tar path.
mkdir -p "$WARM_TESTBED_DIR"
mount_loop() { # name mkfs-command size
  local name=$1 mkfs=$2 size=$3 img="$WARM_TESTBED_DIR/$1.img" mnt="$WARM_TESTBED_DIR/$1"
  mkdir -p "$mnt"
  if mountpoint -q "$mnt"; then return; fi
  [ -f "$img" ] || { truncate -s "$size" "$img"; $mkfs "$img" >/dev/null; }
  mount -o loop "$img" "$mnt"
}
mount_loop xfs "mkfs.xfs -q -f -m reflink=1" 1200M
mount_loop btrfs "mkfs.btrfs -q -f" 1200M
# A tiny ext4 the snapshot ENOSPC test fills on purpose (warm-snapshot EnospcIT).
mount_loop tiny "mkfs.ext4 -q -F" 48M
log "ready: swarm active, image $TEST_IMAGE, xfs at $WARM_TESTBED_DIR/xfs, btrfs at $WARM_TESTBED_DIR/btrfs"
