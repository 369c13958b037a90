#!/usr/bin/env bash
# Benchmark of the snapshot engine (prints, never asserts). Run as root from the repository root after
#   mvn -q -pl warm-nightly -am package -DskipTests
# It creates its own sparse loop XFS (reflink=1) image big enough for the 2 GiB data set (default 7 GiB under
# $BENCH_DIR) and uses $BENCH_DIR/ext4 on the root filesystem for the tar path; everything is removed at the end.
# Whole-process medians over $RUNS runs of `bin/warm snapshot|restore` against `cp -a --reflink=always` and GNU tar
# (with --numeric-owner --xattrs, the closest fidelity). Page cache is warm (no drop_caches on a shared machine).
set -euo pipefail
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/var/tmp/cc-ci-warm-bench}
IMG_SIZE=${IMG_SIZE:-7G}
SETS=${SETS:-"small large"}
here=$(cd "$(dirname "$0")/.." && pwd)
WARM="$here/bin/warm"
[ "$(id -u)" = 0 ] || { echo "bench-snapshot: run as root" >&2; exit 2; }
[ -d "$here/warm-nightly/target/dist/lib" ] || { echo "bench-snapshot: build first (mvn -q -pl warm-nightly -am package -DskipTests)" >&2; exit 2; }

XFS=$BENCH_DIR/xfs
EXT4=$BENCH_DIR/ext4
mkdir -p "$XFS" "$EXT4"
cleanup() { umount "$XFS" 2>/dev/null || true; rm -rf "$BENCH_DIR"; }
trap cleanup EXIT
truncate -s "$IMG_SIZE" "$BENCH_DIR/xfs.img"
mkfs.xfs -q -f -m reflink=1 "$BENCH_DIR/xfs.img"
mount -o loop "$BENCH_DIR/xfs.img" "$XFS"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
# time_runs LABEL SETUP CMD: runs SETUP (untimed) then CMD (timed) $RUNS times; prints and returns the median ms.
declare -A MED
time_runs() {
  local label=$1 setup=$2 cmd=$3 i t0 t1 times=()
  for i in $(seq 1 "$RUNS"); do
    eval "$setup"
    sync
    t0=$(now); eval "$cmd" >/dev/null 2>&1 || { echo "bench-snapshot: '$cmd' failed" >&2; eval "$cmd"; exit 1; }; t1=$(now)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  MED[$label]=$(printf '%s\n' "${times[@]}" | median)
  printf '  %-44s median %7d ms   (runs: %s)\n' "$label" "${MED[$label]}" "${times[*]}"
}
ratio() { awk -v a="${MED[$1]}" -v b="${MED[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

make_small() { # 20k files of 10 KiB = ~200 MiB, 200 dirs
  local d=$1
  mkdir -p "$d"
  perl -e 'my ($d) = @ARGV; open(my $r, "<", "/dev/urandom") or die; read($r, my $seed, 10240);
    for my $i (0..199) { mkdir "$d/d$i" or die; for my $j (0..99) {
      open(my $f, ">", "$d/d$i/f$j") or die; print $f substr(sprintf("%05d%05d", $i, $j) . $seed, 0, 10240); close $f } }' "$d"
}
make_large() { # 2 GiB in 8 files
  local d=$1 i
  mkdir -p "$d"
  for i in $(seq 0 7); do head -c 268435456 /dev/urandom >"$d/big$i"; done
}

for set in $SETS; do
  echo "== data set: $set ($( [ "$set" = small ] && echo '20k files, ~200 MiB' || echo '2 GiB in 8 files')) =="
  vol=$XFS/vol-$set
  "make_$set" "$vol"
  logical=$(du -sb "$vol" | cut -f1)
  echo " XFS (reflink path), volume $(du -sh --apparent-size "$vol" | cut -f1)"
  time_runs "xfs warm snapshot" "rm -rf $XFS/store" "$WARM snapshot --store $XFS/store --volume data=$vol"
  time_runs "xfs cp -a --reflink=always (snapshot)" "rm -rf $XFS/cp" "cp -a --reflink=always $vol $XFS/cp"
  time_runs "xfs warm restore" "rm -rf $XFS/r; mkdir $XFS/r" "$WARM restore --store $XFS/store --volume data=$XFS/r"
  time_runs "xfs cp -a --reflink=always (restore)" "rm -rf $XFS/r2" "cp -a --reflink=always $XFS/cp $XFS/r2"
  time_runs "xfs GNU tar -cf" "rm -f $XFS/t.tar" "tar --numeric-owner --xattrs -cf $XFS/t.tar -C $vol ."
  time_runs "xfs GNU tar -xf" "rm -rf $XFS/x; mkdir $XFS/x" "tar --numeric-owner --xattrs -xpf $XFS/t.tar -C $XFS/x"
  rm -rf "$XFS/cp" "$XFS/r" "$XFS/r2" "$XFS/x" "$XFS/t.tar"
  # Extra disk of a reflinked known-good of the unchanged volume.
  rm -rf "$XFS/store"; sync; free0=$(df -B1 --output=avail "$XFS" | tail -1)
  "$WARM" snapshot --store "$XFS/store" --volume "data=$vol" >/dev/null 2>&1; sync
  free1=$(df -B1 --output=avail "$XFS" | tail -1)
  extra=$((free0 - free1))
  echo " ratios:"
  echo "  warm snapshot / cp --reflink          $(ratio 'xfs warm snapshot' 'xfs cp -a --reflink=always (snapshot)')   (goal <= 1.5)"
  echo "  warm restore  / cp --reflink          $(ratio 'xfs warm restore' 'xfs cp -a --reflink=always (restore)')   (goal <= 1.5)"
  echo "  GNU tar -cf   / warm snapshot         $(ratio 'xfs GNU tar -cf' 'xfs warm snapshot')   (goal >= $( [ "$set" = small ] && echo 5 || echo 20))"
  echo "  GNU tar -xf   / warm restore          $(ratio 'xfs GNU tar -xf' 'xfs warm restore')"
  awk -v e="$extra" -v l="$logical" 'BEGIN { printf "  reflinked known-good extra disk: %d KiB = %.3f %% of %d MiB logical   (goal < 2 %%)\n", e/1024, 100*e/l, l/1048576 }'
  rm -rf "$XFS/store"

  echo " ext4 (tar path)"
  evol=$EXT4/vol-$set
  cp -a "$vol" "$evol"
  rm -rf "$vol"
  time_runs "ext4 warm snapshot (tar)" "rm -rf $EXT4/store" "$WARM snapshot --store $EXT4/store --volume data=$evol"
  time_runs "ext4 GNU tar -cf" "rm -f $EXT4/t.tar" "tar --numeric-owner --xattrs -cf $EXT4/t.tar -C $evol ."
  time_runs "ext4 warm restore (untar + verify)" "rm -rf $EXT4/r; mkdir $EXT4/r" "$WARM restore --store $EXT4/store --volume data=$EXT4/r"
  time_runs "ext4 GNU tar -xf" "rm -rf $EXT4/x; mkdir $EXT4/x" "tar --numeric-owner --xattrs -xpf $EXT4/t.tar -C $EXT4/x"
  echo " ratios:"
  echo "  warm snapshot (tar) / GNU tar -cf     $(ratio 'ext4 warm snapshot (tar)' 'ext4 GNU tar -cf')   (goal <= 1.5)"
  echo "  warm restore (tar)  / GNU tar -xf     $(ratio 'ext4 warm restore (untar + verify)' 'ext4 GNU tar -xf')   (goal <= 1.5)"
  rm -rf "$EXT4"/*
done
