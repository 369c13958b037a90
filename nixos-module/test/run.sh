#!/usr/bin/env bash
# Offline checks of the NixOS module services.cc-ci-warm (no nixpkgs, no VM; see docs/nixos.md "Testing"):
#  0. package.nix: its real installPhase runs on the built distribution (warm-nightly/target/dist/lib) and makes
#     the package every case below uses, so the units' ExecStart is the real CLI (no stub); without a Maven
#     dependency hash, evaluation stops with how to set it; our jars carry the fixed outputTimestamp;
#  1. every .nix file parses;
#  2. positive cases evaluate against the stand-in lib (lib-stub.nix): the generated config.json is accepted by the
#     real Java loader (`warm config check`), the full example emits every Java record component, the units have
#     the switch/boot/timer properties, the rendered unit files pass `systemd-analyze verify` with NO output, the
#     calendar/timespan values parse, and every unit's command line is accepted by the built CLI (check-cli.py:
#     `--help` appended; recover and alerts deliver also run for real on an empty state root); the runner snippet
#     of docs/quick.md runs the module's warm-quick from the system profile (check-snippet.py);
#  3. negative cases (failed assertion, wrong type, typo'd option, missing value, conflict) fail with their
#     expected message; a module-valid but Java-invalid config is rejected by the Java loader; each checker is
#     shown to fail on a mutant (a unit running `warm nightly`, an unknown option, exit 4 counted as success, ...).
# Prints "nixos-module: N passed, M failed"; exits 1 on any failure. Needs: nix-bin, systemd (systemd-analyze),
# python3, java 17 + maven (installs nix-bin/systemd with apt-get when missing; builds the distribution if absent).
# The distribution is used as built: rebuild it (mvn -q -pl warm-nightly -am package -DskipTests) after a change.
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
# Runtime packages the units only put on PATH (docker, git, abra): stand-ins, never run by these checks.
for p in docker:docker git:git abra:abra; do
  mkdir -p "$work/stub/${p%%:*}/bin"
  printf '#!/bin/sh\nexit 0\n' >"$work/stub/${p%%:*}/bin/${p##*:}"
  chmod +x "$work/stub/${p%%:*}/bin/${p##*:}"
done
# The runner's launcher runs for real (two-users.sh): setpriv and env are the host's.
mkdir -p "$work/stub/util-linux/bin" "$work/stub/coreutils/bin"
ln -s "$(command -v setpriv)" "$work/stub/util-linux/bin/setpriv"
ln -s "$(command -v env)" "$work/stub/coreutils/bin/env"

# ---- 0. the package: package.nix's own installPhase on the built distribution -------------------------------
# pkgs.cc-ci-warm of every case below IS this directory: the units' ExecStart runs the real CLI through the
# launchers package.nix writes (bin/warm with the JRE and coreutils pinned), with the AppCDS archives it wrote;
# `env -i` runs them with no PATH and no JAVA, as a unit would.
jre=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
pkg="$work/stub/cc-ci-warm"
if inst=$(nix-instantiate --store dummy:// --eval --strict --json "$here/package-eval.nix" \
      --argstr what install --argstr jre "$jre" 2>&1) \
   && python3 -c 'import json,sys; d=json.loads(sys.argv[1]); open(sys.argv[2],"w").write(d["installPhase"]); assert d["mainProgram"]=="warm"' \
      "$inst" "$work/installPhase.sh" \
   && (cd "$repo" && out="$pkg" bash -euo pipefail -c '
        runHook() { :; }
        source "$1"' _ "$work/installPhase.sh") >"$work/install.out" 2>"$work/install.err" \
   && [ -x "$pkg/bin/warm" ] && [ -x "$pkg/bin/warm-quick" ] \
   && env -i "$pkg/bin/warm" --help >/dev/null 2>&1 && env -i "$pkg/bin/warm-quick" --help >/dev/null 2>&1 \
   && env -i WARM_JAVA_OPTS=-Xlog:class+load=info "$pkg/bin/warm" --version 2>&1 \
        | grep -q " warm.nightly.Main source: shared objects file" \
   && env -i WARM_JAVA_OPTS=-Xlog:class+load=info "$pkg/bin/warm-quick" --version 2>&1 \
        | grep -q " warm.quick.Main source: shared objects file" \
   && env -i WARM_JAVA_OPTS=-XshowSettings:properties "$pkg/bin/warm" --version 2>&1 \
        | grep -qF "java.home = $(readlink -f "$pkg/share/cc-ci-warm/runtime")" \
   && env -i WARM_JAVA_OPTS=-XshowSettings:properties "$pkg/bin/warm" --version 2>&1 \
        | grep -qF "jna.boot.library.path = $pkg/share/cc-ci-warm/jna/" \
   && [ -f "$pkg/share/cc-ci-warm/jna/$(cd "$pkg/share/cc-ci-warm/lib" && ls jna-*.jar | sed 's/\.jar$//')/libjnidispatch.so" ]; then
  ok "package.nix installPhase on the built distribution: bin/warm and bin/warm-quick run on the package's runtime image, each maps its AppCDS archive, JNA's stub comes extracted (meta.mainProgram = warm, $(ls "$pkg/share/cc-ci-warm/lib"/*.jar | wc -l) jars)"
else
  bad "package.nix installPhase: $inst $(cat "$work/install.err" 2>/dev/null)"
  echo "nixos-module: $passed passed, $failed failed"; exit 1
fi
# No Maven dependency hash set: evaluating the package must stop with the exact how-to, not a build that fails
# later with a bare "hash mismatch".
if hout=$(nix-instantiate --store dummy:// --eval --strict --json "$here/package-eval.nix" --argstr what hash 2>&1); then
  bad "package.nix without a Maven dependency hash evaluated to $hout (expected the how-to message)"
elif grep -qF "mvnHash = lib.fakeHash" <<<"$hout" && grep -qF "got: sha256-" <<<"$hout" \
     && grep -qF "nixos-module/package.nix" <<<"$hout"; then
  ok "package.nix without a Maven dependency hash stops with how to set it"
else
  bad "package.nix hash message: $hout"
fi
if hout=$(nix-instantiate --store dummy:// --eval --strict --json "$here/package-eval.nix" --argstr what hash \
      --argstr mvnHash "sha256-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG=" 2>&1) \
   && [ "$hout" = '"sha256-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG="' ]; then
  ok "package.nix uses the mvnHash it is given"
else
  bad "package.nix with mvnHash given: $hout"
fi
# extraJavaOptions reaches both wrappers, before the module path; meta names where the bits come from.
if jout=$(nix-instantiate --store dummy:// --eval --strict --json "$here/package-eval.nix" --argstr what install \
      --argstr javaOpt "-Xmx64m" 2>&1) && python3 - "$jout" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
# One generated launcher per name (warm, warm-quick), each with the package's options; bin/warm puts them before -p.
assert d["installPhase"].count('echo "package_opts=(\'-Xmx64m\' )"') == 1, d["installPhase"]
assert "for name in warm warm-quick" in d["installPhase"], d["installPhase"]
assert d["sourceProvenance"] == ["fromSource", "binaryBytecode"], d
PY
then ok "package.nix: extraJavaOptions in both launchers (package_opts); meta.sourceProvenance fromSource + binaryBytecode"
else bad "package.nix extraJavaOptions/meta: $jout"; fi
# Reproducible jars: project.build.outputTimestamp gives every entry of our jars the same fixed time.
if rout=$(python3 - "$repo" "$pkg/share/cc-ci-warm/lib" <<'PY'
import glob, re, sys, zipfile
ts = re.search(r"<project.build.outputTimestamp>(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z<", open(sys.argv[1] + "/pom.xml").read())
assert ts, "pom.xml has no project.build.outputTimestamp"
want = tuple(int(x) for x in ts.groups())
jars = sorted(glob.glob(sys.argv[2] + "/warm-*.jar"))
assert len(jars) == 5, jars
for j in jars:
    times = {i.date_time for i in zipfile.ZipFile(j).infolist()}
    assert times == {want}, f"{j}: entry times {sorted(times)[:3]} != {want}"
print(f"{len(jars)} warm jars, every entry at %04d-%02d-%02dT%02d:%02d:%02dZ (project.build.outputTimestamp)" % want)
PY
2>&1); then ok "reproducible jars: $rout"; else bad "reproducible jars: $rout"; fi

# check-cli.py runs a command line once for all cases (the real runs differ: each gets a fresh state root).
export CHECK_CLI_CACHE="$work/cli-cache.json"

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
  # The config file's build: with checkConfig (the default) it runs the module's own script, i.e. the real
  # `warm config check` of the package, as `nixos-rebuild build` would.
  if jout=$(python3 "$here/materialize.py" "$o" 2>&1); then
    ok "$name: config.json built$(python3 -c 'import json,sys; print(" and checked by the Java loader at build time (checkConfig)" if json.load(open(sys.argv[1]))["etc"]["cc-ci-warm/config.json"]["build"] else " (checkConfig off: unchecked)")' "$o")"
  else
    bad "$name: config.json build failed: $jout"
  fi
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
  # Every command line of every unit, run with the built CLI (the package above): a command or option it lacks fails.
  if cliout=$(python3 "$here/check-cli.py" "$u" "$work/$name.config.json"); then
    ok "$name: every unit's command line is accepted by the built CLI ($(grep -c '^ok' <<<"$cliout") runs)"
  else
    bad "$name: a unit's command line is rejected by the built CLI ($(grep -c '^ok' <<<"$cliout") runs accepted):"
    grep -v '^ok' <<<"$cliout"
  fi
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
  for unit in cc-ci-warm-prune.service cc-ci-warm-reconcile-keycloak.service; do
    echo "info $unit: $(cd "$work/units-full" && systemd-analyze security --offline=true "$unit" 2>/dev/null \
      | sed -n 's/.*Overall exposure level for [^:]*: //p')"
  done
  if python3 - "$work/full.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s, t = d["services"], d["timers"]
p = "cc-ci-warm-"
assert sorted(s) == [p + x for x in ("alerts-deliver", "nightly", "prune", "reconcile-keycloak", "reconcile-traefik",
                                     "recover", "sso-reap")], sorted(s)
assert sorted(t) == [p + x for x in ("alerts-deliver", "nightly", "prune", "sso-reap")], sorted(t)
tail = {n: u["serviceConfig"]["ExecStart"].split("/bin/warm ", 1)[1].rsplit(" --config ", 1)[0] for n, u in s.items()}
assert tail == {p + "alerts-deliver": "alerts deliver", p + "nightly": "nightly", p + "prune": "prune", p + "reconcile-keycloak": "reconcile keycloak",
                p + "reconcile-traefik": "reconcile traefik", p + "recover": "recover --skip-busy",
                p + "sso-reap": "sso reap --grace-minutes=45"}, tail
assert t[p + "sso-reap"]["timerConfig"]["OnCalendar"] == "hourly", t
assert t[p + "alerts-deliver"]["timerConfig"]["OnCalendar"] == "*:0/15", t
c = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
keycloak = [a for a in c["infra"] if a["name"] == "keycloak"][0]
assert keycloak["acknowledged"] == ["25.0.0+25.0.6"] and keycloak["healthUrl"] == "https://{domain}/realms/master", keycloak
assert keycloak["upstreamNotes"] == {"urlTemplate": "https://github.com/keycloak/keycloak/releases/tag/{version}",
                                     "timeoutSeconds": 5, "onUnreachable": "proceed"}, keycloak
traefik = [a for a in c["infra"] if a["name"] == "traefik"][0]
assert traefik["upstreamNotes"] == {"directory": "/srv/upstream-notes/traefik", "timeoutSeconds": 10,
                                    "onUnreachable": "hold"}, traefik
assert c["nightly"]["coldCommand"][-4:] == ["--recipe", "{recipe}", "--result", "{file}"], c["nightly"]
assert c["nightly"]["maxTests"] == 10 and c["disk"] == {"budgetPercent": 40, "warnPercent": 80}, c
assert t[p + "nightly"]["timerConfig"]["OnCalendar"] == "*-*-* 02:00:00", t
EOF
  then ok "full: units recover, reconcile x2, nightly, prune, sso reap (keycloak set), alerts deliver (channels set); acknowledged, upstreamNotes, nightly, disk emitted"
  else bad "full: unit set / command lines above"; fi
  # The runner's quick-lane snippet (docs/quick.md) runs the module's warm-quick from the system profile.
  if sout=$(python3 "$here/check-snippet.py" "$repo/docs/quick.md" "$work/full.json" 2>&1); then
    ok "docs/quick.md runner snippet: $sout is in the system profile and the built CLI accepts its arguments"
  else bad "docs/quick.md runner snippet: $sout"; fi
  # The property check must be able to fail: a reconcile with RemainAfterExit (would run once, not on every
  # switch), a reconcile counting exit 4 (rollback failed) as success, a prune a switch would restart, a service no
  # timer starts.
  python3 - "$work/full.json" "$work/mutant.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["services"]["cc-ci-warm-reconcile-traefik"]["serviceConfig"]["RemainAfterExit"] = True
d["services"]["cc-ci-warm-reconcile-keycloak"]["serviceConfig"]["SuccessExitStatus"] = "1 3 4 5"
del d["services"]["cc-ci-warm-prune"]["restartIfChanged"]
d["services"]["cc-ci-warm-orphan"] = d["services"]["cc-ci-warm-prune"]
json.dump(d, open(sys.argv[2], "w"))
PY
  mout=$(python3 "$here/check.py" units "$work/mutant.json"); mrc=$?
  if [ $mrc -ne 0 ] && grep -q "traefik: no RemainAfterExit" <<<"$mout" && grep -q "prune: restartIfChanged" <<<"$mout" \
     && grep -q "keycloak: SuccessExitStatus is exactly 1 3 5" <<<"$mout" \
     && grep -q "cc-ci-warm-orphan: started at boot, on a switch or by a timer" <<<"$mout"; then
    ok "unit property check catches RemainAfterExit on reconcile, exit 4 counted as success, a restartable prune, a unit nothing starts"
  else bad "unit property check missed a mutant: $mout"; fi
  # The real-host checks (issue 16) must be able to fail: one mutant per property.
  python3 - "$work/full.json" "$work/mutant-host.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
p = "cc-ci-warm-"
s[p + "prune"]["serviceConfig"]["StateDirectory"] = "ci-warm"                  # 1: recursive chown
d["tmpfiles"].append("Z /var/lib/ci-warm 0700 ci-warm ci-warm -")            # 1: recursive chown by tmpfiles
d["users"]["users"]["ci-warm"].pop("uid")                                     # 1: uid not pinned
s[p + "nightly"]["serviceConfig"]["KillMode"] = "control-group"              # 2: SIGTERM to docker/abra too
s[p + "sso-reap"]["serviceConfig"]["TimeoutStopSec"] = "90"                  # 2: SIGKILL mid-rollback
rec = s[p + "recover"]["serviceConfig"]
rec["ExecStart"] = rec["ExecStart"].replace(" --skip-busy", "")              # 3: a re-run waits for the nightly
tr = s[p + "reconcile-traefik"]["serviceConfig"]
tr["ExecStart"] = tr["ExecStart"].split(" --config ")[0]                     # 6: no explicit checked config
del s[p + "alerts-deliver"]["serviceConfig"]["LoadCredential"]              # 7: secret read from the file
s[p + "reconcile-keycloak"]["serviceConfig"]["SystemCallFilter"] = ["@system-service", "~@privileged"]  # 8: no chown
c = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
c["abra"]["executable"] = "abra"                                              # 5: abra not on PATH
d["etc"]["cc-ci-warm/config.json"]["text"] = json.dumps(c)
json.dump(d, open(sys.argv[2], "w"))
PY
  mout=$(python3 "$here/check.py" units "$work/mutant-host.json"); mrc=$?
  missed=""
  for want in "prune: no StateDirectory=" "tmpfiles: no recursive or cleaning rule on the state root (Z " \
      "users.ci-warm: only ci-warm is created, uid pinned" "nightly: KillMode=mixed (got control-group)" \
      "sso-reap: TimeoutStopSec 90 >= the rollback bound" "recover: --skip-busy" \
      "reconcile-traefik: ExecStart passes --config" "alerts-deliver: LoadCredential=keycloak-secret:" \
      "reconcile-keycloak: @privileged not filtered" "platform abra: abra.executable is an absolute path"; do
    grep -qF -- "$want" <<<"$mout" || missed="$missed [$want]"
  done
  if [ $mrc -ne 0 ] && [ -z "$missed" ]; then
    ok "real-host check catches StateDirectory, a recursive tmpfiles rule, an unpinned uid, KillMode=control-group, a short TimeoutStopSec, recover without --skip-busy, a unit without --config, a missing credential, ~@privileged, a bare abra"
  else bad "real-host check missed:$missed (rc $mrc): $mout"; fi
  # The syscall filter against the real program (strace of snapshot/restore on XFS and ext4, and warm demo); then
  # the same traces against a filter with ~@privileged, which must fail on chown.
  sout=$(bash "$here/syscalls.sh" "$work/units-full/cc-ci-warm-prune.service" "$work/traces" 2>&1); src=$?
  if [ $src -eq 0 ]; then ok "syscall filter allows every call of the real program: $(tail -1 <<<"$sout")"
  elif [ $src -eq 77 ]; then echo "$sout"
  else bad "syscall filter: $sout"; fi
  if [ $src -ne 77 ]; then
    sed 's/^SystemCallFilter=~@clock/SystemCallFilter=~@privileged @clock/' "$work/units-full/cc-ci-warm-prune.service" \
      >"$work/privileged.service"
    nout=$(bash "$here/syscalls.sh" "$work/privileged.service" "$work/traces" 2>&1); nrc=$?
    if [ $nrc -eq 1 ] && grep -q "not allowed: lchown (removed by ~@privileged)" <<<"$nout"; then
      ok "syscall check fails for a filter with ~@privileged: $(grep 'not allowed' <<<"$nout" | head -1 | sed 's/^ *//')"
    else bad "syscall check missed ~@privileged (rc $nrc): $nout"; fi
  fi
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
  # The CLI check must be able to fail: a unit running a command the CLI lacks, and one passing an unknown option.
  mkdir -p "$work/units-mutant-cli"
  cp "$work/units-full/cc-ci-warm-recover.service" "$work/units-mutant-cli/"
  sed 's|/bin/warm recover --skip-busy |/bin/warm nightlyy |' "$work/units-full/cc-ci-warm-recover.service" \
    >"$work/units-mutant-cli/cc-ci-warm-nightly.service"
  sed 's|^\(ExecStart=.*/bin/warm reconcile traefik\) |\1 --bogus |' \
    "$work/units-full/cc-ci-warm-reconcile-traefik.service" >"$work/units-mutant-cli/cc-ci-warm-reconcile-traefik.service"
  mout=$(python3 "$here/check-cli.py" "$work/units-mutant-cli" "$work/full.config.json"); mrc=$?
  if [ $mrc -ne 0 ] && grep -q "^FAIL.*nightly.service.*unknown command 'nightlyy'" <<<"$mout" \
     && grep -q "^FAIL.*reconcile-traefik.service.*Unknown option: '--bogus'" <<<"$mout" \
     && grep -q "^ok.*recover.service" <<<"$mout"; then
    ok "CLI check catches a unit naming a command the CLI lacks (warm nightlyy) and an unknown option (--bogus)"
  else bad "CLI check missed a mutant: $mout"; fi
  # The verify check itself must be able to fail: a typo'd directive in a rendered unit produces output.
  cp "$work/units-full/cc-ci-warm-prune.service" "$work/typo.service"
  sed -i 's/^ProtectSystem=/ProtectSystm=/' "$work/typo.service"
  if [ -n "$(cd "$work" && systemd-analyze verify typo.service 2>&1)" ]; then
    ok "systemd-analyze verify reports a typo'd directive (the check can fail)"
  else bad "systemd-analyze verify said nothing about ProtectSystm="; fi
}
positive minimal && {
  if python3 - "$work/minimal.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d["services"]) == ["cc-ci-warm-prune", "cc-ci-warm-recover"], sorted(d["services"])
assert sorted(d["timers"]) == ["cc-ci-warm-prune"], sorted(d["timers"])
EOF
  then ok "minimal: recover and prune only (no Keycloak: no realm reaping; no channel: no alert delivery timer)"
  else bad "minimal: unit set above"; fi
  # gate.autoApply unset: the generated config carries the default, the gate's behaviour before the option
  if python3 -c 'import json,sys; g=json.load(open(sys.argv[1]))["gate"]; assert g["autoApply"] == "minor", g' \
      "$work/minimal.config.json" 2>/dev/null
  then ok "minimal: gate.autoApply defaults to \"minor\" in config.json"
  else bad "minimal: gate.autoApply is not \"minor\" in config.json: $(cat "$work/minimal.config.json")"; fi
}
positive custom-state && {
  if python3 - "$work/custom-state.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
assert d["tmpfiles"] == ["d /srv/ci-warm 0700 ci-warm ci-warm -"], d["tmpfiles"]
assert all("StateDirectory" not in u["serviceConfig"] for u in s.values())
assert sorted(s) == ["cc-ci-warm-reconcile-traefik", "cc-ci-warm-recover"], sorted(s)
assert d["timers"] == {}, d["timers"]
assert [p["path"] for p in d["systemPackages"]][0] == d["services"]["cc-ci-warm-recover"]["serviceConfig"]["ExecStart"].split("/bin/", 1)[0], d["systemPackages"]
assert s["cc-ci-warm-reconcile-traefik"]["serviceConfig"]["TimeoutStartSec"] == "5min"
assert "/srv/ci-warm" in s["cc-ci-warm-recover"]["serviceConfig"]["ReadWritePaths"]
c = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
assert c["stateRoot"] == "/srv/ci-warm" and c["platform"] == "swarm" and len(c["infra"]) == 2, c
EOF
  then ok "custom-state: tmpfiles instead of StateDirectory, disabled timers absent, mkForce wins"
  else bad "custom-state: expectations above"; fi
}
positive existing-user && {
  if python3 - "$work/existing-user.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
u, g = d["users"]["users"], d["users"]["groups"]
assert "ops" not in u and "ci-warm" not in u, u            # an existing user keeps its home, uid, shell
assert u["gitea-runner"] == {"extraGroups": ["ci-warm-runners"]}, u
assert g == {"ci-warm-runners": {}}, g
assert all(x["serviceConfig"]["User"] == "ops" for x in s.values())
assert "wantedBy" not in s["cc-ci-warm-reconcile-traefik"] or not s["cc-ci-warm-reconcile-traefik"]["wantedBy"], s
assert d["etc"]["cc-ci-warm/config.json"]["build"] is None
launcher = [p for p in d["systemPackages"] if p.get("name") == "cc-ci-warm-quick"][0]
assert d["sudo"] == [{"groups": ["ci-warm-runners"], "runAs": "root", "commands": [
    {"command": launcher["path"] + "/bin/cc-ci-warm-quick", "options": ["NOPASSWD"]}]}], d["sudo"]
assert "--reuid=ops --regid=ops" in launcher["scriptText"], launcher
EOF
  then ok "existing-user: the user is not redefined (no home, no uid), the runner joins ci-warm-runners, whose sudo rule names the launcher only; onSwitch=false leaves reconcile to a manual start; checkConfig=false builds unchecked"
  else bad "existing-user: expectations above"; fi
}
if nixeval "$here/cases/disabled.nix" "$work/disabled.json" "$work/disabled.err" \
   && [ "$(cat "$work/disabled.json")" = '{"etc":{},"reconcileOnSwitch":true,"services":{},"sudo":[],"systemPackages":[],"timers":{},"tmpfiles":[],"users":{"groups":{},"users":{}},"warnings":[]}' ]; then
  ok "disabled: nothing generated, required options not demanded (mkIf is lazy)"
else
  bad "disabled: $(cat "$work/disabled.json" "$work/disabled.err")"
fi

# ---- the runner and the service user as two real Unix users (root only) -------------------------------------
tout=$(bash "$here/two-users.sh" "$work" "$work/stub" 2>&1); trc=$?
while IFS= read -r l; do
  case $l in ok*) ok "${l#ok   }" ;; FAIL*) bad "${l#FAIL }" ;; *) echo "$l" ;; esac
done <<<"$tout"
[ $trc -ne 0 ] && [ $trc -ne 77 ] && ! grep -q '^FAIL' <<<"$tout" && bad "two-users.sh exit $trc"

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
  # checkConfig: the same configuration fails the config file's build, i.e. `nixos-rebuild build`.
  bout=$(python3 "$here/materialize.py" "$work/$name.json" 2>&1); brc=$?
  if [ $brc -eq 2 ] && grep -qF -- "$expected" <<<"$bout"; then ok "$name: the build-time check fails the build (exit 2): $bout"
  else bad "$name: expected the config build to fail with exit 2 and '$expected', got $brc: $bout"; fi
done

echo "nixos-module: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
