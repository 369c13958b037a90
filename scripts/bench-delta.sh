#!/usr/bin/env bash
# Benchmark of delta restore (issue 17; prints, never asserts). Run as root from the repository root after
#   mvn -q -pl warm-nightly -am package -DskipTests
# A canonical volume of $FILES files / ~$MIB MiB (default 20 000 / 200) gets a known-good; then, interleaved $RUNS
# times on XFS (reflink path, its own sparse loop image) and on ext4 (tar path, $BENCH_DIR on the root fs):
#   pass  — what a quick run that PASSed leaves: a handful of files changed (a database page rewritten in place
#           with its mtime put back, a log appended, two uploads added in a new directory, one file deleted); the
#           next run's restore-before-run puts them back;
#   fail  — what a FAILed run's rollback meets: a migration that rewrote 200 files and added a 20 MiB file;
#   full  — the same pass-size change restored with the change record removed, i.e. the full restore
#           (empty + copy back + verify) every restore paid before delta restores.
# Each restore is one whole `bin/warm restore --json` process: its wall time (JVM start included) and the restore's
# own time under the store's lock (`millis` of the result: plan, copy, verify, record — what the quick lane, which
# restores in-process, pays). Medians are printed with the spread (min–max) of every series, and delta/full ratios. WARM_LIB=DIR runs a copy of the distribution's lib (so a build
# in the same checkout cannot change the jars mid-benchmark); RUNS, FILES, MIB, IMG_SIZE, BENCH_DIR as below.
set -euo pipefail
RUNS=${RUNS:-5}
FILES=${FILES:-20000}
MIB=${MIB:-200}
BENCH_DIR=${BENCH_DIR:-/var/tmp/cc-ci-warm-bench-delta}
IMG_SIZE=${IMG_SIZE:-2G}
here=$(cd "$(dirname "$0")/.." && pwd)
WARM=${WARM:-$here/bin/warm}
[ "$(id -u)" = 0 ] || { echo "bench-delta: run as root" >&2; exit 2; }
[ -n "${WARM_LIB:-}" ] || [ -d "$here/warm-nightly/target/dist/lib" ] || { echo "bench-delta: build first (mvn -q -pl warm-nightly -am package -DskipTests)" >&2; exit 2; }

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
spread() { sort -n | awk 'NR==1{lo=$1} {hi=$1} END {printf "%d-%d", lo, hi}'; }

make_volume() { # $FILES files of $MIB MiB in total, 100 per directory
  local d=$1
  mkdir -p "$d"
  perl -e 'my ($d, $n, $mib) = @ARGV; my $size = int($mib * 1048576 / $n);
    open(my $r, "<", "/dev/urandom") or die; read($r, my $seed, $size);
    for my $i (0 .. $n - 1) { my $sub = "$d/d" . int($i / 100); mkdir $sub unless -d $sub;
      open(my $f, ">", "$sub/f$i") or die; print $f substr(sprintf("%010d", $i) . $seed, 0, $size); close $f }' \
    "$d" "$FILES" "$MIB"
}

# A quick run that passed: a handful of files.
change_pass() {
  local v=$1 i=$2
  local db=$v/d3/f300
  local t; t=$(stat -c %y "$db")
  printf 'page %08d' "$i" | dd of="$db" bs=1 seek=16 conv=notrunc status=none  # same size ...
  touch -d "$t" "$db"                                                            # ... same mtime: only ctime moves
  echo "log line $i" >>"$v/d0/f7"
  mkdir -p "$v/uploads-$i"
  head -c 65536 /dev/urandom >"$v/uploads-$i/a.jpg"
  head -c 65536 /dev/urandom >"$v/uploads-$i/b.jpg"
  rm -f "$v/d9/f905"
}

# A failed run: a migration that rewrote 200 files and left a 20 MiB file.
change_fail() {
  local v=$1 i=$2 j
  for j in $(seq 0 199); do echo "migrated $i" >>"$v/d$((j % 200))/f$(( (j % 200) * 100 + j / 200 ))"; done
  head -c 20971520 /dev/urandom >"$v/d1/migration-$i.bin"
}

# restore LABEL STORE VOL: one timed `warm restore --json`; records ms and the kind that ran.
declare -A TIMES KINDS ENGINE
restore() {
  local label=$1 store=$2 vol=$3 t0 t1 out
  sync
  t0=$(now)
  out=$("$WARM" restore --json --store "$store" --volume "data=$vol" 2>/dev/null) \
    || { echo "bench-delta: restore ($label) failed" >&2; "$WARM" restore --store "$store" --volume "data=$vol"; exit 1; }
  t1=$(now)
  TIMES[$label]+="$(( (t1 - t0) / 1000000 )) "
  ENGINE[$label]+="$(echo "$out" | sed -n 's/.*"millis" *: *\([0-9]*\).*/\1/p') "
  KINDS[$label]+="$(echo "$out" | sed -n 's/.*"kind" *: *"\([a-z]*\)".*/\1/p')/$(echo "$out" | sed -n 's/.*"entriesTouched" *: *\([0-9]*\).*/\1/p') "
}

report() {
  local fs=$1 label m e
  for label in "$fs pass (delta)" "$fs fail (delta)" "$fs full"; do
    m=$(printf '%s\n' ${TIMES[$label]} | median)
    e=$(printf '%s\n' ${ENGINE[$label]} | median)
    MED[$label]=$m
    EMED[$label]=$e
    printf '  %-16s restore %6d ms (spread %-11s)  process %6d ms (spread %-11s)  kind/entries: %s\n' "$label" \
      "$e" "$(printf '%s\n' ${ENGINE[$label]} | spread)" "$m" "$(printf '%s\n' ${TIMES[$label]} | spread)" \
      "${KINDS[$label]}"
  done
  for label in pass fail; do
    awk -v l="$label" -v e="${EMED[$fs $label (delta)]}" -v ef="${EMED[$fs full]}" -v p="${MED[$fs $label (delta)]}" \
      -v pf="${MED[$fs full]}" 'BEGIN {
      printf "  %s: delta/full restore %.2f (%d vs %d ms; goal: delta <= 2000 ms)   whole process %.2f (%d vs %d ms)\n",
        l, e / ef, e, ef, p / pf, p, pf }'
  done
}
declare -A MED EMED

bench() {
  local fs=$1 base=$2
  local vol=$base/vol store=$base/store i
  make_volume "$vol"
  echo "== $fs: $(find "$vol" | wc -l) entries, $(du -sh --apparent-size "$vol" | cut -f1) =="
  sleep 1  # the seed comes after the data settled (entries written within the clock margin are not trusted)
  "$WARM" snapshot --store "$store" --volume "data=$vol" >/dev/null 2>&1
  "$WARM" restore --store "$store" --volume "data=$vol" >/dev/null 2>&1  # the first run's restore writes the record
  for i in $(seq 1 "$RUNS"); do   # interleaved, so drift of the shared machine hits all three alike
    change_pass "$vol" "$i"; restore "$fs pass (delta)" "$store" "$vol"
    change_fail "$vol" "$i"; restore "$fs fail (delta)" "$store" "$vol"
    change_pass "$vol" "$i"; rm -f "$store/change-record"; restore "$fs full" "$store" "$vol"
  done
  report "$fs"
  rm -rf "$vol" "$store"
}

bench xfs "$XFS"
bench ext4 "$EXT4"
