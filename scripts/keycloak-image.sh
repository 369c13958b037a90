#!/usr/bin/env bash
# Offline Keycloak images for the reconciler's test bed (a real stateful infra app on Swarm): for each version of
# org.keycloak:keycloak-quarkus-dist, the zip comes from Maven Central (mvn dependency:copy, cached), is unpacked and
# augmented once with the build options the test recipe starts with, and lands in an image made by `docker import`
# of a rootfs: the host's JDK 17 with the shared libraries it needs, Debian's busybox-static for /bin/sh and wget,
# and the augmented tree under /opt/keycloak. No registry is reachable, so nothing is pulled.
#
#   scripts/keycloak-image.sh            build warm-test/keycloak:<version> for each version (skipped when an image
#                                        with the same inputs exists); prints one line per image: tag, seconds, size
#
# Environment: WARM_KEYCLOAK_IMAGE_VERSIONS ("26.4.7 26.5.6"), WARM_KEYCLOAK_CACHE (/var/cache/cc-ci-warm),
# WARM_KEYCLOAK_IMAGE_REPO (warm-test/keycloak), WARM_KEYCLOAK_READY_SECONDS (240).
#
# The recipe that runs these images (warm-nightly's test kit, warm.nightly.testing.KeycloakRecipe) starts
# `kc.sh start-dev --health-enabled=true`: augmenting with exactly that option here makes the first boot of a
# container skip Keycloak's re-augmentation (7-15 s on 2 cores).
set -euo pipefail

VERSIONS=${WARM_KEYCLOAK_IMAGE_VERSIONS:-"26.4.7 26.5.6"}
CACHE=${WARM_KEYCLOAK_CACHE:-/var/cache/cc-ci-warm}
REPO=${WARM_KEYCLOAK_IMAGE_REPO:-warm-test/keycloak}
READY_SECONDS=${WARM_KEYCLOAK_READY_SECONDS:-240}
JDK=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
BUILD_OPTS=(--health-enabled=true)
INPUTS_LABEL=cc-ci-warm.inputs
SELF=$(readlink -f "$0")

log() { echo "keycloak-image.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (docker import, and the rootfs keeps root ownership)"
[ -x "$JDK/bin/java" ] || die "no JDK found from 'java' on PATH ($JDK)"
"$JDK/bin/java" -version 2>&1 | grep -q 'version "17' || die "the image needs the host's JDK 17; $JDK is not"
[ -x /bin/busybox ] || die "no /bin/busybox: install Debian's busybox-static"
docker info >/dev/null 2>&1 || die "no Docker engine answers"

free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# $1 = version: the zip, fetched once into the cache (Maven also keeps it in ~/.m2).
zip_of() {
  local v=$1 zip="$CACHE/keycloak-quarkus-dist-$1.zip" dl
  if [ ! -s "$zip" ]; then
    dl=$(mktemp -d)
    log "fetching org.keycloak:keycloak-quarkus-dist:$v:zip through Maven"
    # Run outside any project: in a checkout, Maven would run the goal once per reactor module.
    (cd "$dl" && mvn -B -ntp -q -Dstyle.color=never dependency:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$v:zip" -DoutputDirectory="$dl" >"$dl/mvn.log" 2>&1) \
      || { cat "$dl/mvn.log" >&2; die "Maven could not fetch keycloak-quarkus-dist $v"; }
    [ -s "$dl/keycloak-quarkus-dist-$v.zip" ] || die "no keycloak-quarkus-dist-$v.zip after the Maven fetch"
    mv "$dl/keycloak-quarkus-dist-$v.zip" "$zip.tmp"
    mv "$zip.tmp" "$zip"
    rm -rf "$dl"
  fi
  echo "$zip"
}

# $1 = version: the unpacked tree, augmented once by a first start-dev with BUILD_OPTS on loopback (the same build
# options as the recipe's command, so the container does not re-augment), its data then wiped.
augmented_tree() {
  local v=$1 zip tree="$CACHE/image-keycloak-$1" tmp="$CACHE/.image-keycloak-$1.tmp" home port mport pid logf
  if [ -f "$tree/.warm-augmented" ]; then echo "$tree"; return; fi
  zip=$(zip_of "$v")
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "unpacking $zip"
  if command -v unzip >/dev/null; then
    (cd "$tmp" && unzip -q "$zip")
  else # the JDK's jar needs no extra package, but drops the executable bits
    (cd "$tmp" && "$JDK/bin/jar" xf "$zip" && chmod +x "keycloak-$v"/bin/*.sh)
  fi
  home="$tmp/keycloak-$v"
  [ -x "$home/bin/kc.sh" ] || die "unexpected zip layout: no keycloak-$v/bin/kc.sh"
  port=$(free_port); mport=$(free_port)
  [ "$port" != "$mport" ] || mport=$(free_port)
  logf="$tmp/augment.log"
  log "augmenting $v (a first start-dev on 127.0.0.1:$port, 20-60 s)"
  JAVA_HOME=$JDK JAVA_OPTS_KC_HEAP="-Xms64m -Xmx256m" setsid "$home/bin/kc.sh" start-dev "${BUILD_OPTS[@]}" \
    --http-host=127.0.0.1 --http-port="$port" --http-management-port="$mport" >"$logf" 2>&1 </dev/null &
  pid=$!
  local deadline=$((SECONDS + READY_SECONDS))
  until curl -fsS -o /dev/null "http://127.0.0.1:$mport/health/ready" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then tail -30 "$logf" >&2; die "Keycloak $v exited while augmenting"; fi
    if [ $SECONDS -ge $deadline ]; then
      kill -TERM "$pid" 2>/dev/null || true
      tail -30 "$logf" >&2; die "Keycloak $v not ready after ${READY_SECONDS}s while augmenting"
    fi
    sleep 0.5
  done
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
  # The first start's database (a master realm without any admin) must not reach the image.
  rm -rf "$home/data"
  touch "$home/.warm-augmented"
  rm -rf "$tree"
  mv "$home" "$tree"
  rm -rf "$tmp"
  echo "$tree"
}

# What an image is built from; a change in any of these rebuilds it.
inputs_of() { # $1 = version
  {
    echo "script $(sha256sum "$SELF" | cut -d' ' -f1)"
    echo "zip $(sha256sum "$(zip_of "$1")" | cut -d' ' -f1)"
    echo "jdk $(cat "$JDK/release" | sha256sum | cut -d' ' -f1) $(readlink -f "$JDK/lib/server/libjvm.so" | xargs sha256sum | cut -d' ' -f1)"
    echo "busybox $(sha256sum /bin/busybox | cut -d' ' -f1)"
  } | sha256sum | cut -c1-32
}

# $1 = version, $2 = tag, $3 = inputs key
build_image() {
  local v=$1 tag=$2 key=$3 tree root lib f
  tree=$(augmented_tree "$v")
  root=$(mktemp -d "$CACHE/.rootfs-$v.XXXXXX")
  ROOTFS=$root
  mkdir -p "$root"/{bin,usr/bin,tmp,etc,proc,sys,dev,run,opt,lib64,usr/lib/jvm}
  chmod 1777 "$root/tmp"
  # The JDK, and every shared library it or its own libraries load (ld.so included).
  cp -a "$JDK" "$root/usr/lib/jvm/"
  for f in "$JDK/bin/java" "$JDK"/lib/*.so "$JDK"/lib/server/*.so; do
    ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib64\//{print $1}'
  done | sort -u | while read -r lib; do
    case "$lib" in "$JDK"/*) continue ;; esac
    cp -L --parents "$lib" "$root/"
  done
  cp -L --parents /lib64/ld-linux-x86-64.so.2 "$root/"
  # Debian's JDK links conf/security/* to /etc/java-17-openjdk and lib/security/cacerts to /etc/ssl/certs/java:
  # without them the JVM dies ("Error loading java.security file") or Keycloak finds no system truststore.
  cp -a --parents /etc/java-17-openjdk "$root/"
  cp -L --parents /etc/ssl/certs/java/cacerts "$root/"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  cp -a "$tree" "$root/opt/keycloak"
  rm -f "$root/opt/keycloak/.warm-augmented"
  mkdir -p "$root/opt/keycloak/data"
  tar -C "$root" -c . | docker import \
    -c "ENV JAVA_HOME=/usr/lib/jvm/$(basename "$JDK")" \
    -c "ENV PATH=/usr/lib/jvm/$(basename "$JDK")/bin:/opt/keycloak/bin:/bin:/usr/bin" \
    -c 'WORKDIR /opt/keycloak' \
    -c "LABEL $INPUTS_LABEL=$key" \
    -c 'CMD ["/opt/keycloak/bin/kc.sh", "start-dev", "--health-enabled=true"]' \
    - "$tag" >/dev/null
  rm -rf "$root"
  ROOTFS=
}

ROOTFS=
trap '[ -z "$ROOTFS" ] || rm -rf "$ROOTFS"' EXIT
mkdir -p "$CACHE"
exec 9>"$CACHE/keycloak-image.lock"
flock 9
for v in $VERSIONS; do
  tag="$REPO:$v"
  start=$SECONDS
  key=$(inputs_of "$v")
  have=$(docker image inspect --format "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$tag" 2>/dev/null || true)
  if [ "$have" = "$key" ]; then
    state=cached
  else
    log "building $tag"
    build_image "$v" "$tag" "$key"
    state=built
  fi
  size=$(docker image inspect --format '{{.Size}}' "$tag")
  echo "keycloak-image.sh: $tag $state in $((SECONDS - start)) s, $((size / 1048576)) MiB"
done
