#!/usr/bin/env bash
# Offline checks of the NixOS module services.cc-ci-warm (no nixpkgs, no VM; see docs/nixos.md "Testing"):
#  1. every .nix file parses;
#  2. positive cases evaluate against the stand-in lib (lib-stub.nix): the generated config.json is accepted by the
#     real Java loader (`warm config check`), the full example emits every Java record component, the units have
#     the switch/boot/timer properties, the rendered unit files pass `systemd-analyze verify` with NO output and
#     the calendar/timespan values parse;
#  3. negative cases (failed assertion, wrong type, typo'd option, missing value, conflict) fail with their
#     expected message; a module-valid but Java-invalid config is rejected by the Java loader.
# Prints "nixos-module: N passed, M failed"; exits 1 on any failure. Needs: nix-bin, systemd (systemd-analyze),
# python3, java 17 + maven (installs nix-bin/systemd with apt-get when missing; builds the distribution if absent).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
repo=$(cd "$module/.." && pwd)
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# ---- prerequisites ---------------------------------------------------------------------------------------------
need=()
command -v nix-instantiate >/dev/null || need+=(nix-bin)
command -v systemd-analyze >/dev/null || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing ${need[*]}"
  $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null || { echo "cannot install ${need[*]}"; exit 1; }
fi
for tool in nix-instantiate systemd-analyze python3 java; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }
done
if [ ! -d "$repo/warm-nightly/target/dist/lib" ]; then
  echo "building the distribution (mvn -q -pl warm-nightly -am package -DskipTests)"
  (cd "$repo" && mvn -q -pl warm-nightly -am package -DskipTests) || { echo "distribution build failed"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Fake packages: the units' ExecStart must point at an existing executable for systemd-analyze verify.
for p in cc-ci-warm:warm docker:docker git:git abra:abra; do
  mkdir -p "$work/stub/${p%%:*}/bin"
  printf '#!/bin/sh\nexit 0\n' >"$work/stub/${p%%:*}/bin/${p##*:}"
  chmod +x "$work/stub/${p%%:*}/bin/${p##*:}"
done

nixeval() { # case-file out-json err-file
  nix-instantiate --store dummy:// --eval --strict --json "$here/eval.nix" \
    --argstr case "$1" --argstr stubRoot "$work/stub" >"$2" 2>"$3"
}

# ---- 1. syntax -------------------------------------------------------------------------------------------------
if out=$(find "$module" -name '*.nix' -exec nix-instantiate --store dummy:// --parse {} + 2>&1 >/dev/null) \
   && [ -z "$out" ]; then
  ok "all .nix files parse ($(find "$module" -name '*.nix' | wc -l) files)"
else
  bad "parse: $out"
fi

if st=$(nix-instantiate --store dummy:// --eval --strict --json "$here/lib-selftest.nix" 2>&1) \
   && python3 -c 'import json,sys; d=json.loads(sys.argv[1]); bad=[k for k,v in d.items() if v is not True]; print(len(d)); sys.exit(1 if bad or not d else 0)' "$st" >/dev/null; then
  ok "stand-in lib self-test: $(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$st") module-system semantics hold"
else
  bad "stand-in lib self-test: $st"
fi

# ---- 2. positive cases -----------------------------------------------------------------------------------------
positive() { # name
  local name=$1 c="$here/cases/$1.nix" o="$work/$1.json" e="$work/$1.err" u="$work/units-$1"
  if ! nixeval "$c" "$o" "$e"; then bad "$name: evaluation failed: $(grep -v '^\s*$' "$e" | tail -3)"; return 1; fi
  ok "$name: evaluates"
  python3 "$here/check.py" get "$o" >"$work/$name.config.json"
  if jout=$("$repo/bin/warm" config check --config "$work/$name.config.json" 2>&1 >/dev/null); then
    ok "$name: config.json accepted by the Java loader (warm config check)"
  else
    bad "$name: warm config check rejected it: $jout"
  fi
  if cout=$(python3 "$here/check.py" units "$o"); then ok "$name: unit properties (switch/boot/timer/hardening)"
  else bad "$name: unit properties:"; echo "$cout"; fi
  if ! rout=$(python3 "$here/render-units.py" "$o" "$u" 2>&1); then bad "$name: render: $rout"; return 1; fi
  local files
  files=$(shopt -s nullglob; cd "$u" && echo *.service *.timer)
  # shellcheck disable=SC2086 # unit file names are plain words
  vout=$(cd "$u" && systemd-analyze verify $files 2>&1); vrc=$?
  if [ $vrc -eq 0 ] && [ -z "$vout" ]; then ok "$name: systemd-analyze verify of $(wc -w <<<"$files") units: no output"
  else bad "$name: systemd-analyze verify rc=$vrc:"; echo "$vout"; fi
  local vals
  vals=$(python3 - "$o" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for n, t in d["timers"].items():
    print("calendar\t" + t["timerConfig"]["OnCalendar"])
    print("timespan\t" + t["timerConfig"]["RandomizedDelaySec"])
for n, s in d["services"].items():
    print("timespan\t" + s["serviceConfig"]["TimeoutStartSec"])
EOF
)
  local n=0 verbad=""
  while IFS=$'\t' read -r kind v; do
    [ -z "$kind" ] && continue
    n=$((n + 1))
    systemd-analyze "$kind" "$v" >/dev/null 2>&1 || verbad="$verbad [$kind '$v']"
  done <<<"$vals"
  if [ -z "$verbad" ]; then ok "$name: $n OnCalendar/timespan values parse (systemd-analyze calendar/timespan)"
  else bad "$name: invalid values:$verbad"; fi
}

positive full && {
  if rout=$(python3 "$here/check.py" records "$work/full.json" "$repo/warm-core/src/main/java/warm/core/config"); then
    ok "full: emits every component of the Java config records, nothing else"
  else bad "full: record coverage:"; echo "$rout"; fi
  # Information only (the score's scale changes between systemd versions): hardening exposure of the units.
  for unit in cc-ci-warm-nightly.service cc-ci-warm-reconcile-keycloak.service; do
    echo "info $unit: $(cd "$work/units-full" && systemd-analyze security --offline=true "$unit" 2>/dev/null \
      | sed -n 's/.*Overall exposure level for [^:]*: //p')"
  done
  # The property check must be able to fail: a reconcile with RemainAfterExit (would run once, not on every
  # switch) and a nightly that a switch would restart.
  python3 - "$work/full.json" "$work/mutant.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["services"]["cc-ci-warm-reconcile-traefik"]["serviceConfig"]["RemainAfterExit"] = True
del d["services"]["cc-ci-warm-nightly"]["restartIfChanged"]
json.dump(d, open(sys.argv[2], "w"))
PY
  mout=$(python3 "$here/check.py" units "$work/mutant.json"); mrc=$?
  if [ $mrc -ne 0 ] && grep -q "no RemainAfterExit" <<<"$mout" && grep -q "nightly: restartIfChanged" <<<"$mout"; then
    ok "unit property check catches RemainAfterExit on reconcile and a restartable nightly"
  else bad "unit property check missed a mutant: $mout"; fi
  # The record-coverage check must be able to fail: drop one emitted field, add one unknown field.
  python3 - "$work/full.json" "$work/mutant-records.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
del c["timeouts"]["undeploySeconds"]
c["abra"]["serverName"] = "x"
d["etc"]["cc-ci-warm/config.json"]["text"] = json.dumps(c)
json.dump(d, open(sys.argv[2], "w"))
PY
  mout=$(python3 "$here/check.py" records "$work/mutant-records.json" "$repo/warm-core/src/main/java/warm/core/config"); mrc=$?
  if [ $mrc -ne 0 ] && grep -q "Timeouts.undeploySeconds" <<<"$mout" && grep -q "serverName" <<<"$mout"; then
    ok "record coverage check catches a missing and an unknown field"
  else bad "record coverage check missed a mutant: $mout"; fi
  # The verify check itself must be able to fail: a typo'd directive in a rendered unit produces output.
  cp "$work/units-full/cc-ci-warm-nightly.service" "$work/typo.service"
  sed -i 's/^ProtectSystem=/ProtectSystm=/' "$work/typo.service"
  if [ -n "$(cd "$work" && systemd-analyze verify typo.service 2>&1)" ]; then
    ok "systemd-analyze verify reports a typo'd directive (the check can fail)"
  else bad "systemd-analyze verify said nothing about ProtectSystm="; fi
}
positive minimal
positive custom-state && {
  if python3 - "$work/custom-state.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
assert d["tmpfiles"] == ["d /srv/ci-warm 0700 ci-warm ci-warm -"], d["tmpfiles"]
assert all("StateDirectory" not in u["serviceConfig"] for u in s.values())
assert sorted(s) == ["cc-ci-warm-reconcile-traefik", "cc-ci-warm-recover"], sorted(s)
assert d["timers"] == {}, d["timers"]
assert d["systemPackages"] == [d["services"]["cc-ci-warm-recover"]["serviceConfig"]["ExecStart"].rsplit("/bin/", 1)[0]], d["systemPackages"]
assert s["cc-ci-warm-reconcile-traefik"]["serviceConfig"]["TimeoutStartSec"] == "5min"
assert "/srv/ci-warm" in s["cc-ci-warm-recover"]["serviceConfig"]["ReadWritePaths"]
c = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
assert c["stateRoot"] == "/srv/ci-warm" and c["platform"] == "swarm" and len(c["infra"]) == 2, c
EOF
  then ok "custom-state: tmpfiles instead of StateDirectory, disabled timers absent, mkForce wins"
  else bad "custom-state: expectations above"; fi
}
if nixeval "$here/cases/disabled.nix" "$work/disabled.json" "$work/disabled.err" \
   && [ "$(cat "$work/disabled.json")" = '{"etc":{},"services":{},"systemPackages":[],"timers":{},"tmpfiles":[],"users":{"groups":{},"users":{}},"warnings":[]}' ]; then
  ok "disabled: nothing generated, required options not demanded (mkIf is lazy)"
else
  bad "disabled: $(cat "$work/disabled.json" "$work/disabled.err")"
fi

# ---- 3. negative cases -----------------------------------------------------------------------------------------
for c in "$here"/cases/neg-*.nix; do
  name=$(basename "$c" .nix)
  expected=$(sed -n 's/^# expect: //p' "$c" | head -1)
  if nixeval "$c" "$work/$name.json" "$work/$name.err"; then
    bad "$name: evaluation succeeded, expected: $expected"
  elif grep -qF -- "$expected" "$work/$name.err"; then
    ok "$name: rejected: $(grep -F -- "$expected" "$work/$name.err" | head -1 | sed 's/^ *//' | cut -c1-110)"
  else
    bad "$name: failed without the expected message '$expected':"; tail -5 "$work/$name.err"
  fi
done
for c in "$here"/cases/java-neg-*.nix; do
  name=$(basename "$c" .nix)
  expected=$(sed -n 's/^# expect-java: //p' "$c" | head -1)
  if ! nixeval "$c" "$work/$name.json" "$work/$name.err"; then bad "$name: module rejected it"; continue; fi
  python3 "$here/check.py" get "$work/$name.json" >"$work/$name.config.json"
  jout=$("$repo/bin/warm" config check --config "$work/$name.config.json" 2>&1 >/dev/null); jrc=$?
  if [ $jrc -eq 2 ] && grep -qF -- "$expected" <<<"$jout"; then ok "$name: Java loader rejects it (exit 2): $jout"
  else bad "$name: expected exit 2 with '$expected', got $jrc: $jout"; fi
done

echo "nixos-module: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
