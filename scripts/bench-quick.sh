#!/usr/bin/env bash
# Benchmark of start-up and the quick lane, every figure a ratio of interleaved A/B pairs with its spread:
#   scripts/bench-quick.sh [--pairs N] [--cycles N] [--init-seconds N] [--data-mib N] [--data-files N]
#                          [--restores N] [--only cli|quick|restore|delta|stop]...
# Sections (each a function; all run by default, --only picks some):
#   cli      CLI start: `bin/warm --version` (runtime image, AppCDS archive, C1) against the previous launcher (`java -p lib -m
#            warm.nightly --version`: no archive, full JIT) and against a bare `java -version`, N pairs (default 10),
#            each pair A then B; the same for `bin/warm-quick --version`. Goal: warm --version <= 0.25 s.
#   quick    quick / cold: `warm demo --cycles N --init-seconds S --json` (default 3 and 20): cold run i and quick run
#            i of the good PR alternate, the ratio of each pair. Goal: <= 0.35 for a 20 s first boot.
#   restore  the FAIL path's restore (the broken PR's rollback: undeploy + restore of the known-good) at real data
#            sizes, default --data-mib 512 --data-files 20480 (500 MiB in 20480 files): on reflink (state and
#            volumes on an XFS: the volumes are local-driver volumes bound to directories there) and on tar (state
#            and volumes on the root filesystem), N demos of each (default 1), alternating.
#   stop     Swarm's own stop latency, which every quick run pays twice (the stop-first update to the PR, the
#            undeploy): `docker service rm` of a one-task service that exits at once on SIGTERM, without and with an
#            overlay network (recipes' services have one), to the kill signal and to the container gone; N pairs.
#            Not in the default run (--only stop).
#   delta    delta vs full restore (issue 17) at 20k files / 200 MiB, after a PASS that changed a handful of files
#            and after a FAIL, on XFS (reflink) and ext4 (tar), interleaved: scripts/bench-delta.sh (its env knobs:
#            RUNS, FILES, MIB), its report appended here.
# The XFS for `restore` is $WARM_BENCH_XFS if set, else a 4 GiB loop image this script creates and mounts once at
# /var/tmp/cc-ci-warm-bench/xfs (needs root and xfsprogs; left mounted for the next run). Prints, never asserts:
# exit 0 unless a demo failed. The JSON of each demo and a copy of this report land in target/bench-quick/.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
pairs=10 cycles=3 init=20 data_mib=512 data_files=20480 restores=1 only=()
while [ $# -gt 0 ]; do
  case $1 in
    --pairs) pairs=$2; shift 2 ;;
    --cycles) cycles=$2; shift 2 ;;
    --init-seconds) init=$2; shift 2 ;;
    --data-mib) data_mib=$2; shift 2 ;;
    --data-files) data_files=$2; shift 2 ;;
    --restores) restores=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-quick: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
lib=$here/warm-nightly/target/dist/lib
[ -d "$lib" ] || { echo "bench-quick: build first (mvn -q -pl warm-nightly -am package -DskipTests)" >&2; exit 2; }
java=${JAVA:-java}
out=$here/target/bench-quick
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$out/bench-$stamp.txt
rc=0

say() { echo "$*" | tee -a "$report"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
wants() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

# Wall milliseconds of one command (its output discarded; its exit status ignored: --version exits 0).
ms_of() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

# "median min max" of the numbers on stdin.
stats() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, a[1], a[NR] }'
}

# One figure: "<label>: median (min–max) over n pairs".
figure() { # LABEL UNIT < numbers
  local s
  s=$(stats)
  set -- "$1" "$2" $s
  say "$(printf '  %-58s %8s %s  (spread %s–%s)' "$1" "$3" "$2" "$4" "$5")"
}

# A field of a JSON document on stdin, by a Python expression on `d` (python3: Debian's, public).
json() { python3 -c "import json,sys; d=json.loads(sys.stdin.read().strip().splitlines()[-1]); print($1)"; }

bench_cli_start() {
  say "CLI start ($pairs interleaved pairs, A = the launcher with its AppCDS archive; load $(load))"
  local a b c qa qb r_ab=() r_ac=() r_q=() as=() i
  for i in $(seq 0 "$pairs"); do # pair 0 is the warm-up (page cache), not counted
    a=$(ms_of env JAVA="$java" "$here/bin/warm" --version)
    b=$(ms_of "$java" -p "$lib" -m warm.nightly --version)
    c=$(ms_of "$java" -version)
    qa=$(ms_of env JAVA="$java" "$here/bin/warm-quick" --version)
    qb=$(ms_of "$java" -p "$lib" -m warm.quick --version)
    [ "$i" -eq 0 ] && continue
    as+=("$(awk -v a="$a" 'BEGIN { printf "%.3f", a / 1000 }')")
    r_ab+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')")
    r_ac+=("$(awk -v a="$a" -v c="$c" 'BEGIN { printf "%.3f", a / c }')")
    r_q+=("$(awk -v a="$qa" -v b="$qb" 'BEGIN { printf "%.3f", a / b }')")
  done
  printf '%s\n' "${as[@]}" | figure "warm --version, wall" "s"
  printf '%s\n' "${r_ab[@]}" | figure "warm --version / previous launcher (java -p lib -m)" "x"
  printf '%s\n' "${r_ac[@]}" | figure "warm --version / bare java -version" "x"
  printf '%s\n' "${r_q[@]}" | figure "warm-quick --version / java -p lib -m warm.quick" "x"
  say "  goal: warm --version <= 0.25 s on an idle machine (issue 15: 0.44 s before)"
}

# One `warm demo --json` run; prints the JSON file's path. Arguments: a tag, then the demo's options.
demo() {
  local tag=$1 json
  shift
  json=$out/demo-$stamp-$tag.json
  if ! env JAVA="$java" "$here/bin/warm" demo --json "$@" >"$json" 2>"${json%.json}.log"; then
    echo "bench-quick: the demo ($tag) failed; see ${json%.json}.log" >&2
    rc=1
  fi
  echo "$json"
}

bench_quick_cold() {
  say "quick / cold (sample recipe, first boot ${init} s, $cycles pairs: cold run i, then quick run i; load $(load))"
  local json
  json=$(demo quick --cycles "$cycles" --init-seconds "$init")
  [ -s "$json" ] || return 0
  json '"\n".join(str(c["millis"]/1000) for c in d["cold"])' <"$json" | figure "cold run" "s"
  json '"\n".join(str(q["millis"]/1000) for q in d["quick"])' <"$json" | figure "quick run, good PR" "s"
  json '"\n".join(str(x) for x in d["summary"]["pairRatios"])' <"$json" | figure "quick / cold (pairs)" "x"
  json '"\n".join(str(q["overheadMillis"]/1000) for q in d["quick"])' <"$json" | figure "warm's own overhead" "s"
  say "  median quick run's phases: $(json '", ".join(f"{k} {v/1000:.1f} s" for k, v in sorted(d["quick"], key=lambda q: q["millis"])[len(d["quick"])//2]["timingsMillis"].items() if v >= 50)' <"$json")"
  say "  goal: quick / cold <= 0.35 (issue 15: 0.52 before)"
}

# The XFS the reflink demos put their state and volumes on.
bench_xfs() {
  if [ -n "${WARM_BENCH_XFS:-}" ]; then
    echo "$WARM_BENCH_XFS"
    return
  fi
  local base=/var/tmp/cc-ci-warm-bench
  if ! mountpoint -q "$base/xfs"; then
    mkdir -p "$base/xfs"
    [ -f "$base/xfs.img" ] || { truncate -s 4G "$base/xfs.img" && mkfs.xfs -q -m reflink=1 "$base/xfs.img"; }
    mount -o loop "$base/xfs.img" "$base/xfs"
  fi
  echo "$base/xfs"
}

bench_fail_restore() {
  local xfs i j t r
  xfs=$(bench_xfs)
  say "FAIL path restore at ${data_mib} MiB in ${data_files} files ($restores demo(s) per method, alternating; load $(load))"
  local reflink=() tar=() rb_reflink=() rb_tar=() methods=()
  for i in $(seq 1 "$restores"); do
    for t in reflink tar; do
      local args=(--cycles 1 --init-seconds 0 --data-mib "$data_mib" --data-files "$data_files")
      [ "$t" = reflink ] && args+=(--volumes-dir "$xfs")
      j=$(demo "restore-$t-$i" "${args[@]}")
      [ -s "$j" ] || continue
      methods+=("$t:$(json 'd["seed"]["method"]' <"$j")")
      r=$(json 'd["broken"]["timingsMillis"]["rollback restore"]/1000' <"$j")
      if [ "$t" = reflink ]; then reflink+=("$r"); else tar+=("$r"); fi
      r=$(json '(d["broken"]["timingsMillis"]["rollback undeploy"] + d["broken"]["timingsMillis"]["rollback restore"])/1000' <"$j")
      if [ "$t" = reflink ]; then rb_reflink+=("$r"); else rb_tar+=("$r"); fi
    done
  done
  say "  snapshot method of each demo's known-good: ${methods[*]:-none}"
  printf '%s\n' "${reflink[@]}" | figure "restore of the known-good, reflink (XFS, bound volumes)" "s"
  printf '%s\n' "${tar[@]}" | figure "restore of the known-good, tar (ext4)" "s"
  printf '%s\n' "${rb_reflink[@]}" | figure "whole rollback (undeploy + restore), reflink" "s"
  printf '%s\n' "${rb_tar[@]}" | figure "whole rollback (undeploy + restore), tar" "s"
}

say "bench-quick $stamp: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 " GiB" }'), load $(load), $("$java" -version 2>&1 | head -n 1)"
# Milliseconds from `docker service rm` of a one-task service (busybox, exits at once on SIGTERM) to the engine's
# kill of its container (the `kill` event) and to the container being gone; $1 = yes puts the service on an overlay
# network, as every recipe's services are. Prints "KILL GONE".
stop_ms() {
  local name ev cid t0 t1 k
  name=warm-bench-stop-$$-$RANDOM
  local args=(--detach --name "$name" --stop-grace-period 10s)
  if [ "$1" = yes ]; then
    docker network create -d overlay "$name-net" >/dev/null
    args+=(--network "$name-net")
  fi
  docker service create "${args[@]}" warm-test/busybox:1 sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done' \
    >/dev/null 2>&1
  until cid=$(docker ps -q --no-trunc -f "label=com.docker.swarm.service.name=$name") && [ -n "$cid" ]; do
    sleep 0.2
  done
  sleep 1
  ev=$(mktemp)
  docker events -f "container=$cid" --format '{{.TimeNano}} {{.Action}}' >"$ev" &
  local events=$!
  sleep 0.5
  t0=$(date +%s%N)
  docker service rm "$name" >/dev/null
  while docker ps -q --no-trunc | grep -q "$cid"; do sleep 0.05; done
  t1=$(date +%s%N)
  sleep 0.3
  kill "$events" 2>/dev/null || true
  k=$(awk '$2 == "kill" { print $1; exit }' "$ev")
  rm -f "$ev"
  [ "$1" = yes ] && { sleep 1; docker network rm "$name-net" >/dev/null 2>&1 || true; }
  echo "$(((k - t0) / 1000000)) $(((t1 - t0) / 1000000))"
}

bench_swarm_stop() {
  say "Swarm stop latency ($pairs interleaved pairs; load $(load)): docker service rm -> the engine kills the container"
  docker image inspect warm-test/busybox:1 >/dev/null 2>&1 \
    || { say "  stop: no image warm-test/busybox:1 (run scripts/testbed.sh)"; rc=1; return; }
  local i a b ak=() ag=() bk=() bg=()
  for i in $(seq 1 "$pairs"); do
    read -r a b < <(stop_ms no); ak+=("$a"); ag+=("$b")
    read -r a b < <(stop_ms yes); bk+=("$a"); bg+=("$b")
  done
  printf '%s\n' "${ak[@]}" | figure "no network: rm -> kill signal" "ms"
  printf '%s\n' "${ag[@]}" | figure "no network: rm -> container gone" "ms"
  printf '%s\n' "${bk[@]}" | figure "overlay network (as recipes): rm -> kill signal" "ms"
  printf '%s\n' "${bg[@]}" | figure "overlay network (as recipes): rm -> container gone" "ms"
  say "  (a task with a service binding waits for the network's gossip to converge before it is stopped)"
}

wants cli && bench_cli_start
[[ " ${only[*]-} " == *" stop "* ]] && bench_swarm_stop
wants quick && bench_quick_cold
wants restore && bench_fail_restore
if wants delta; then
  say "== delta restore (scripts/bench-delta.sh), load $(load)"
  bash "$here/scripts/bench-delta.sh" 2>&1 | tee -a "$report" || rc=1
fi
say "bench-quick: report $report; demos' JSON in $out"
exit "$rc"
