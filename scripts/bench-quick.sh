#!/usr/bin/env bash
# Benchmark of the quick lane against cold runs on the local Swarm, with the bundled sample recipe:
#   scripts/bench-quick.sh [N] [INIT_SECONDS]      (defaults: 3 cycles, 20 s first boot)
# Runs `warm demo --cycles N` (N cold runs of a fresh app, N quick runs of a good PR, one broken PR) in a throwaway
# state directory and prints the medians, the quick/cold ratio and warm's own overhead (quick wall time minus the
# Docker deploys, undeploy and assertions). Goals: ratio <= 0.35 for the 20 s first boot, overhead <= 2 s.
# Prints, never asserts: exit 0 unless the demo itself failed. Full table and JSON land in target/bench-quick/.
set -euo pipefail
n=${1:-3}
init=${2:-20}
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$here/target/bench-quick
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
table=$out/bench-$stamp.txt
json=$out/bench-$stamp.json
echo "bench-quick: $n cold + $n quick cycles, first boot ${init} s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
"$here/bin/warm" demo --cycles "$n" --init-seconds "$init" --json >"$json" 2>"$out/bench-$stamp.log" || rc=$?
# The table is rebuilt from the JSON's phases so one run gives both.
sed -n '$p' "$json" | tr -d '\n' | sed 's/.*"phases":\[//; s/\]}$//; s/},{/}\n{/g' \
  | sed -E 's/^\{"phase":"([^"]*)","detail":"([^"]*)"(,"millis":([0-9]+))?\}$/\1\t\4\t\2/' \
  | awk -F'\t' '{ t = ($2 == "") ? "" : sprintf("%.1f s", $2 / 1000); printf "%-28s %10s  %s\n", $1, t, $3 }' | tee "$table"
if [ "$rc" -ne 0 ]; then
  echo "bench-quick: the demo failed (exit $rc); see $out/bench-$stamp.log" >&2
fi
echo "bench-quick: table $table, JSON $json"
exit "$rc"
