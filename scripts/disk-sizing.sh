#!/usr/bin/env bash
# Measures what warm data costs on disk: a volume's logical and allocated size, and its known-good snapshot taken by
# reflink (XFS and btrfs test bed mounts) and by tar (ext4), counted by extents as `warm status` counts them
# (warm.snapshot.SpaceUsage). The figures in docs/status.md ("Sizing") come from this script.
#
#   scripts/disk-sizing.sh NAME DIR [NAME DIR]...    e.g. keycloak-h2 /var/cache/cc-ci-warm/keycloak-26.5.6/.warm-template/data
#
# Needs root, the built distribution (warm-nightly/target/dist/lib) and the test bed (scripts/testbed.sh). Copies
# each DIR into a scratch directory per filesystem and removes the scratch directories afterwards; DIR is only read.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB="$ROOT/warm-nightly/target/dist/lib"
TESTBED=${WARM_TESTBED_DIR:-/var/tmp/cc-ci-warm-testbed}
[ -d "$LIB" ] || { echo "build first: mvn -o package -DskipTests -pl warm-nightly -am" >&2; exit 2; }
[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || { echo "usage: $0 NAME DIR [NAME DIR]..." >&2; exit 2; }

JSH=$(mktemp --suffix=.jsh)
SCRATCH=()
cleanup() { rm -f "$JSH"; for d in "${SCRATCH[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT
cat >"$JSH" <<'JSH'
var parts = new java.util.LinkedHashMap<String, java.util.List<java.nio.file.Path>>();
parts.put("volume", java.util.List.of(java.nio.file.Path.of(System.getProperty("vol"))));
parts.put("snapshot", java.util.List.of(java.nio.file.Path.of(System.getProperty("store"))));
var r = warm.snapshot.SpaceUsage.measure(parts);
System.out.println("volume " + r.parts().get("volume") + " | snapshot " + r.parts().get("snapshot") + " | together "
    + r.totalBytes() + " | shared " + r.sharedBetweenParts() + (r.extentMapped() ? "" : " (not extent-mapped)"));
/exit
JSH

printf '%-14s %-6s %-8s %12s %12s | %s\n' app fs method logical allocated "by extents (bytes)"
while [ $# -gt 0 ]; do
  name=$1 src=$2; shift 2
  logical=$(du -sB1 --apparent-size "$src" | cut -f1)
  for fs in xfs btrfs ext4; do
    if [ "$fs" = ext4 ]; then base=/var/tmp/warm-disk-sizing; mkdir -p "$base"; else base="$TESTBED/$fs"; fi
    work=$(mktemp -d "$base/sizing-XXXXXX"); SCRATCH+=("$work")
    cp -a "$src" "$work/vol"; sync -f "$work/vol"
    allocated=$(du -sB1 "$work/vol" | cut -f1)
    method=$(java -p "$LIB" -m warm.nightly snapshot --store "$work/store" --volume "v=$work/vol" --json 2>/dev/null \
      | grep -o '"method" *: *"[a-z]*"' | grep -o '[a-z]*"$' | tr -d '"')
    sync -f "$work/store"
    line=$(jshell -R-Dvol="$work/vol" -R-Dstore="$work/store" --module-path "$LIB" --add-modules warm.snapshot "$JSH")
    printf '%-14s %-6s %-8s %12s %12s | %s\n' "$name" "$fs" "$method" "$logical" "$allocated" "$line"
  done
done
