#!/usr/bin/env bash
# Benchmark of the snapshot engine (prints, never asserts): the figures of issue 15, rows 1-6, each a ratio measured
# in one interleaved run. Run as root from the repository root after
#   mvn -q -pl warm-nightly -am package -DskipTests
# It creates its own sparse loop XFS (reflink=1) image (default 7 GiB under $BENCH_DIR) and uses $BENCH_DIR/ext4 on
# the root filesystem (ext4) for the tar path; everything is removed at the end.
#
# Each figure is $PAIRS A/B pairs of whole processes, the order alternating (A,B then B,A) so that a change in the
# machine's load hits both sides alike. Per pair the ratio A/B is taken; the script prints the median ratio with
# its spread (min-max over the pairs), the median wall times, and the median CPU time (user+sys) of each side, which
# a loaded machine disturbs less than wall time. Page cache is warm (no drop_caches on a shared machine). The load
# average is printed before and after every figure.
#
# Rows: (1) snapshot of 20k files of 10 KiB on XFS vs `cp -a --reflink=always`; (2) restore of the same vs
# `cp -a --reflink=always` of the copy; (3) snapshot of 2 GiB in 4 files on XFS vs the CLI's bare start
# (`warm --version`); (4) tar-path snapshot on ext4 vs GNU `tar -cf`; (5) tar-path restore vs GNU `tar -xf` (GNU tar
# with --numeric-owner --xattrs, the closest fidelity); (6) extra disk of a reflinked known-good of the unchanged
# 20k-file volume vs that of a `cp -a --reflink=always` copy.
set -euo pipefail
PAIRS=${PAIRS:-5}
BENCH_DIR=${BENCH_DIR:-/var/tmp/cc-ci-warm-bench}
IMG_SIZE=${IMG_SIZE:-7G}
ROWS=${ROWS:-"1 2 3 4 5 6"}
here=$(cd "$(dirname "$0")/.." && pwd)
WARM="$here/bin/warm"
[ "$(id -u)" = 0 ] || { echo "bench-snapshot: run as root" >&2; exit 2; }
[ -d "$here/warm-nightly/target/dist/lib" ] || { echo "bench-snapshot: build first (mvn -q -pl warm-nightly -am package -DskipTests)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench-snapshot: needs /usr/bin/time (package 'time')" >&2; exit 2; }

XFS=$BENCH_DIR/xfs
EXT4=$BENCH_DIR/ext4
# Another run (another engineer's, on a shared machine) may be using BENCH_DIR: refuse before touching anything —
# formatting its image and this script's cleanup (umount, rm -rf) would destroy that run's data.
if [ -e "$BENCH_DIR" ]; then
  echo "bench-snapshot: $BENCH_DIR exists (another run, or one that was killed): set BENCH_DIR, or unmount and remove it" >&2
  exit 2
fi
mkdir -p "$XFS" "$EXT4"
cleanup() { umount "$XFS" 2>/dev/null || true; rm -rf "$BENCH_DIR"; }
trap cleanup EXIT
truncate -s "$IMG_SIZE" "$BENCH_DIR/xfs.img"
mkfs.xfs -q -f -m reflink=1 "$BENCH_DIR/xfs.img"
mount -o loop "$BENCH_DIR/xfs.img" "$XFS"

want() { case " $ROWS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

# one SETUP CMD: runs SETUP untimed, syncs, then CMD under /usr/bin/time; echoes "wall cpu" in seconds.
# The wall time is read with bash's EPOCHREALTIME (microseconds) around CMD inside the timed shell: /usr/bin/time's
# %e has 10 ms steps, which quantised row 3 (~0.1 s per side) into ratios like 1.500 and 1.167. It excludes the
# wrapper shell's own start on both sides alike. CPU stays /usr/bin/time's user+sys (10 ms steps).
one() {
  local setup=$1 cmd=$2 tf wf
  tf=$(mktemp); wf=$(mktemp)
  eval "$setup"
  sync
  # shellcheck disable=SC2016 # $EPOCHREALTIME expands in the timed shell
  if ! /usr/bin/time -f '%U %S' -o "$tf" bash -c 's=$EPOCHREALTIME; '"$cmd"'; rc=$?; e=$EPOCHREALTIME; echo "$s $e" >"$1"; exit $rc' bench "$wf" >/dev/null 2>&1; then
    echo "bench-snapshot: '$cmd' failed:" >&2
    bash -c "$cmd" >&2 || true
    exit 1
  fi
  awk -v w="$(cat "$wf")" '{ split(w, t, " "); printf "%.4f %.2f\n", t[2] - t[1], $1 + $2 }' "$tf"
  rm -f "$tf" "$wf"
}

# pairs ROW TITLE GOAL A_SETUP A_CMD B_SETUP B_CMD: $PAIRS interleaved pairs; prints the ratio A/B with its spread.
pairs() {
  local row=$1 title=$2 goal=$3 as=$4 ac=$5 bs=$6 bc=$7 i a b ratios=() aw=() bw=() acpu=() bcpu=()
  local l0 l1
  l0=$(load)
  for i in $(seq 1 "$PAIRS"); do
    if [ $((i % 2)) = 1 ]; then a=$(one "$as" "$ac"); b=$(one "$bs" "$bc")
    else b=$(one "$bs" "$bc"); a=$(one "$as" "$ac"); fi
    aw+=("${a% *}"); acpu+=("${a#* }"); bw+=("${b% *}"); bcpu+=("${b#* }")
    ratios+=("$(awk -v x="${a% *}" -v y="${b% *}" 'BEGIN { printf "%.3f", (y > 0 ? x / y : 0) }')")
  done
  l1=$(load)
  local med lo hi
  med=$(printf '%s\n' "${ratios[@]}" | median)
  lo=$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)
  hi=$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)
  printf 'row %s  %-58s ratio %6.2f  (spread %.2f-%.2f, %d pairs; goal %s)\n' "$row" "$title" "$med" "$lo" "$hi" "$PAIRS" "$goal"
  printf '        A: wall %ss  cpu %ss   B: wall %ss  cpu %ss   (medians; load %s -> %s)\n' \
    "$(printf '%s\n' "${aw[@]}" | median)" "$(printf '%s\n' "${acpu[@]}" | median)" \
    "$(printf '%s\n' "${bw[@]}" | median)" "$(printf '%s\n' "${bcpu[@]}" | median)" "$l0" "$l1"
  printf '        ratios: %s\n' "${ratios[*]}"
}

make_small() { # 20k files of 10 KiB = ~200 MiB, 200 dirs
  local d=$1
  mkdir -p "$d"
  perl -e 'my ($d) = @ARGV; open(my $r, "<", "/dev/urandom") or die; read($r, my $seed, 10240);
    for my $i (0..199) { mkdir "$d/d$i" or die; for my $j (0..99) {
      open(my $f, ">", "$d/d$i/f$j") or die; print $f substr(sprintf("%05d%05d", $i, $j) . $seed, 0, 10240); close $f } }' "$d"
}
make_large() { # 2 GiB in 4 files
  local d=$1 i
  mkdir -p "$d"
  for i in 0 1 2 3; do head -c 536870912 /dev/urandom >"$d/big$i"; done
}
avail() { sync; df -B1 --output=avail "$1" | tail -1; }

echo "bench-snapshot: $(nproc) cores, $(uname -r), load $(load), PAIRS=$PAIRS"
echo "A/B = whole-process wall-time ratio (A = warm); ratio <= 1 means warm is as fast as the reference"
small=$XFS/vol-small
make_small "$small"
if want 1; then
  pairs 1 "snapshot 20k x 10 KiB, XFS: warm / cp -a --reflink=always" "<= 1.0" \
    "rm -rf $XFS/store" "$WARM snapshot --store $XFS/store --volume data=$small" \
    "rm -rf $XFS/cp" "cp -a --reflink=always $small $XFS/cp"
fi
if want 2; then
  rm -rf "$XFS/store" "$XFS/cp"
  "$WARM" snapshot --store "$XFS/store" --volume "data=$small" >/dev/null 2>&1
  cp -a --reflink=always "$small" "$XFS/cp"
  pairs 2 "restore 20k x 10 KiB, XFS: warm / cp -a --reflink=always" "<= 1.0" \
    "rm -rf $XFS/r; mkdir $XFS/r" "$WARM restore --store $XFS/store --volume data=$XFS/r" \
    "rm -rf $XFS/r2" "cp -a --reflink=always $XFS/cp $XFS/r2"
  rm -rf "$XFS/r" "$XFS/r2"
fi
if want 6; then
  # Extra disk: free space before/after each copy of the unchanged volume, the same way for both.
  ew=() ec=() rs=()
  for i in 1 2 3; do
    rm -rf "$XFS/store" "$XFS/cp"; f0=$(avail "$XFS")
    "$WARM" snapshot --store "$XFS/store" --volume "data=$small" >/dev/null 2>&1; f1=$(avail "$XFS")
    cp -a --reflink=always "$small" "$XFS/cp"; f2=$(avail "$XFS")
    ew+=($((f0 - f1))); ec+=($((f1 - f2)))
    rs+=("$(awk -v a=$((f0 - f1)) -v b=$((f1 - f2)) 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')")
  done
  logical=$(du -sb --apparent-size "$small" | cut -f1)
  printf 'row 6  %-58s ratio %6.2f  (spread %s-%s, 3 pairs; goal <= 1.1)\n' "extra disk of a reflinked known-good / of a cp --reflink copy" \
    "$(printf '%s\n' "${rs[@]}" | median)" "$(printf '%s\n' "${rs[@]}" | sort -g | head -1)" "$(printf '%s\n' "${rs[@]}" | sort -g | tail -1)"
  awk -v a="$(printf '%s\n' "${ew[@]}" | median)" -v b="$(printf '%s\n' "${ec[@]}" | median)" -v l="$logical" \
    'BEGIN { printf "        warm %.1f MiB = %.2f %% of %.0f MiB logical; cp --reflink %.1f MiB = %.2f %%\n", a/1048576, 100*a/l, l/1048576, b/1048576, 100*b/l }'
  rm -rf "$XFS/store" "$XFS/cp"
fi
if want 4 || want 5; then
  evol=$EXT4/vol-small
  cp -a "$small" "$evol"
fi
rm -rf "$small" "$XFS/store"
if want 3; then
  large=$XFS/vol-large
  make_large "$large"
  pairs 3 "snapshot 2 GiB in 4 files, XFS: warm / warm --version" "<= 1.5" \
    "rm -rf $XFS/store" "$WARM snapshot --store $XFS/store --volume data=$large" \
    ":" "$WARM --version"
  rm -rf "$large" "$XFS/store"
fi
if want 4; then
  pairs 4 "tar path snapshot 20k x 10 KiB, ext4: warm / GNU tar -cf" "<= 1.5" \
    "rm -rf $EXT4/store" "$WARM snapshot --store $EXT4/store --volume data=$evol" \
    "rm -f $EXT4/t.tar" "tar --numeric-owner --xattrs -cf $EXT4/t.tar -C $evol ."
fi
if want 5; then
  rm -rf "$EXT4/store" "$EXT4/t.tar"
  "$WARM" snapshot --store "$EXT4/store" --volume "data=$evol" >/dev/null 2>&1
  tar --numeric-owner --xattrs -cf "$EXT4/t.tar" -C "$evol" .
  pairs 5 "tar path restore 20k x 10 KiB, ext4: warm / GNU tar -xf" "<= 1.5" \
    "rm -rf $EXT4/r; mkdir $EXT4/r" "$WARM restore --store $EXT4/store --volume data=$EXT4/r" \
    "rm -rf $EXT4/x; mkdir $EXT4/x" "tar --numeric-owner --xattrs -xpf $EXT4/t.tar -C $EXT4/x"
fi
echo "bench-snapshot: done, load $(load)"
