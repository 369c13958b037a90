#!/usr/bin/env python3
"""Structural checks of an evaluated configuration (eval.nix JSON output). Prints one line per failed property and
exits 1 if any failed. Usage:
  check.py units EVAL_JSON                  the switch/boot/timer properties of reference/nixos.md A3/A4 (what the
                                            command lines run is checked by check-cli.py with the built CLI)
  check.py records EVAL_JSON CONFIG_DIR     every Java record component of warm.core.config is emitted (full case)
  check.py get EVAL_JSON                    print the generated /etc/cc-ci-warm/config.json text"""
import json
import os
import re
import sys

problems = []


def expect(ok, what):
    if not ok:
        problems.append(what)


def units(d):
    s, t = d["services"], d["timers"]
    reconcile = [n for n in s if n.startswith("cc-ci-warm-reconcile-")]
    expect("cc-ci-warm-recover" in s, "recover unit exists")
    rec = s.get("cc-ci-warm-recover", {})
    expect(rec.get("serviceConfig", {}).get("RemainAfterExit") is True, "recover: RemainAfterExit (once per boot)")
    expect(rec.get("restartIfChanged") is False, "recover: restartIfChanged = false (a switch never reruns it)")
    expect("multi-user.target" in rec.get("wantedBy", []), "recover: wantedBy multi-user.target")
    for n in reconcile:
        u = s[n]
        sc = u["serviceConfig"]
        expect(sc.get("Type") == "oneshot", f"{n}: Type=oneshot")
        expect("RemainAfterExit" not in sc, f"{n}: no RemainAfterExit (so it runs on every switch)")
        expect(u.get("restartIfChanged", True) is not False, f"{n}: restartIfChanged not disabled")
        # reconcile.onSwitch = false: the unit exists for a manual start, and nothing else starts it.
        expect(("multi-user.target" in u.get("wantedBy", [])) == d.get("reconcileOnSwitch", True),
               f"{n}: wantedBy multi-user.target exactly when reconcile.onSwitch")
        expect(sc.get("TimeoutStartSec") not in (None, "infinity", "0"), f"{n}: TimeoutStartSec bounded")
        expect("cc-ci-warm-recover.service" in u.get("after", []), f"{n}: after recover")
        expect(f"{n}.service" in rec.get("before", []), f"recover: before {n}")
        expect(re.search(r"/bin/warm reconcile [a-z0-9-]+ --config \S+$", sc.get("ExecStart", "")),
               f"{n}: ExecStart warm reconcile <app> --config <file>")
        # The reconciler's exit codes: 1 rolled back (healthy at last-good), 3 held by the gate, 5 skipped (lock
        # busy) must not fail `nixos-rebuild switch`; 4 (failed, rollback failed) and 2 (bad input) must.
        ok_codes = set(str(sc.get("SuccessExitStatus", "")).split())
        expect(ok_codes == {"1", "3", "5"}, f"{n}: SuccessExitStatus is exactly 1 3 5 (got {sorted(ok_codes)})")
    # The nightly, when configured, is started by its timer only (a switch must never start or kill a sweep).
    if "cc-ci-warm-nightly" in s:
        expect("cc-ci-warm-nightly" in t, "cc-ci-warm-nightly: has a timer")
        expect(re.search(r"/bin/warm nightly --config \S+$", s["cc-ci-warm-nightly"]["serviceConfig"].get("ExecStart", "")),
               "cc-ci-warm-nightly: ExecStart warm nightly --config <file>")
    # Units started by a timer only: long or background jobs a switch must neither start, restart nor stop.
    for n in t:
        u = s.get(n, {})
        sc = u.get("serviceConfig", {})
        expect(u.get("restartIfChanged") is False, f"{n}: restartIfChanged = false")
        expect(u.get("unitConfig", {}).get("X-StopOnRemoval") is False, f"{n}: X-StopOnRemoval = false")
        expect(not u.get("wantedBy"), f"{n}: started only by its timer (no wantedBy)")
        expect(sc.get("Type") == "oneshot", f"{n}: Type=oneshot")
        expect(sc.get("TimeoutStartSec") not in (None, "infinity", "0"), f"{n}: TimeoutStartSec bounded")
        expect("cc-ci-warm-recover.service" in u.get("after", []), f"{n}: after recover")
        expect(f"{n}.service" in rec.get("before", []), f"recover: before {n}")
        tc = t[n].get("timerConfig", {})
        expect(tc.get("Unit") == f"{n}.service", f"{n}.timer: Unit= names its service")
        expect("timers.target" in t[n].get("wantedBy", []), f"{n}.timer: wantedBy timers.target")
    for n in t:
        expect(n in s, f"timer {n} has a matching service")
    for n in s:
        expect(n == "cc-ci-warm-recover" or n in reconcile or n in t, f"{n}: started at boot, on a switch or by a timer")
    for n, u in s.items():
        sc = u["serviceConfig"]
        for k, v in (("ProtectSystem", "strict"), ("PrivateTmp", True), ("NoNewPrivileges", True)):
            expect(sc.get(k) == v, f"{n}: {k}={v}")
        expect(d["etc"] and sc.get("ReadWritePaths"), f"{n}: ReadWritePaths set")
        expect("docker" in sc.get("SupplementaryGroups", []), f"{n}: in group docker")
    safe_host(d)


# The syscall filter the units carry; syscalls.sh checks it against what the program really calls.
FILTER = ["@system-service", "~@clock @debug @module @mount @obsolete @raw-io @reboot @swap"]


def timespan(v):
    """Seconds of a systemd timespan in the forms this module writes (N, Ns, Nmin, Nh); None otherwise."""
    m = re.fullmatch(r"([0-9]+) *(s|sec|m|min|h|hr)?", str(v))
    return None if not m else int(m.group(1)) * {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}[m.group(2)]


def safe_host(d):
    """Issue 16: what would hurt on a real host (owners, stops, switches, secrets, the config file, hardening)."""
    s = d["services"]
    cfg = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
    conf = d["etc"]["cc-ci-warm/config.json"]["source"]
    root = cfg["stateRoot"]
    t = cfg["timeouts"]
    # The rollback a SIGTERM starts: undeploy + deploy + health + health URL + one command; the JVM's own cap is 15 min.
    bound = max(t["undeploySeconds"] + t["deploySeconds"] + t["healthSeconds"] + t["healthUrlSeconds"]
                + t["commandSeconds"], 900)
    users = {u["serviceConfig"].get("User") for u in s.values()}
    # 1. Snapshots keep container uids: no StateDirectory (recursive chown), the root made by a plain `d` rule.
    for n, u in s.items():
        sc = u["serviceConfig"]
        for k in sc:
            expect(not (k.endswith("Directory") and k != "WorkingDirectory"),
                   f"{n}: no {k}= (systemd chowns such directories recursively; the state root holds container-owned files)")
        # 2. A stop SIGTERMs the JVM alone and waits for its rollback.
        expect(sc.get("KillMode") == "mixed", f"{n}: KillMode=mixed (got {sc.get('KillMode')})")
        stop = timespan(sc.get("TimeoutStopSec", ""))
        expect(stop is not None and stop >= bound,
               f"{n}: TimeoutStopSec {sc.get('TimeoutStopSec')} >= the rollback bound {bound} s")
        # 6. Every command reads the build-time-checked file, named explicitly.
        for k, v in sc.items():
            if k.startswith("Exec"):
                expect(f" --config {conf}" in f" {v} ", f"{n}: {k} passes --config {conf}")
        # 7. The Keycloak secret reaches the unit as a credential (the file can stay root-only).
        secret = cfg.get("keycloak", {}).get("secretFile")
        if secret:
            expect(f"keycloak-secret:{secret}" in sc.get("LoadCredential", []), f"{n}: LoadCredential=keycloak-secret:{secret}")
        # 8. Hardening, each checked against the real program (syscalls.sh).
        expect(sc.get("SystemCallFilter") == FILTER, f"{n}: SystemCallFilter={FILTER}")
        expect(not any("@privileged" in f for f in sc.get("SystemCallFilter", [])), f"{n}: @privileged not filtered (chown)")
        for k, v in (("RemoveIPC", True), ("PrivateMounts", True), ("ProtectProc", "invisible")):
            expect(sc.get(k) == v, f"{n}: {k}={v}")
    for rule in d["tmpfiles"]:
        kind, path = rule.split()[:2]
        expect(not (kind[0] in "ZzCRrxXDe" and (path == root or path.startswith(root + "/"))),
               f"tmpfiles: no recursive or cleaning rule on the state root ({rule})")
    expect(any(r.split()[:2] == ["d", root] for r in d["tmpfiles"]), f"tmpfiles: 'd {root}' creates the state root")
    # 1. The module creates only its default user, with a pinned uid; another user is left as it is.
    for name, u in d["users"]["users"].items():
        if "isSystemUser" in u:
            expect(name == "ci-warm" and isinstance(u.get("uid"), int), f"users.{name}: only ci-warm is created, uid pinned")
    for name in users - {"ci-warm"}:
        expect(set(d["users"]["users"].get(name, {})) <= {"extraGroups"}, f"users.{name}: an existing user is not redefined (home, uid)")
    # 3. A re-run recover leaves live operations alone.
    rec = s.get("cc-ci-warm-recover", {}).get("serviceConfig", {}).get("ExecStart", "")
    expect(" recover --skip-busy " in rec + " ", "recover: --skip-busy (a switch's re-run never waits for or touches a live operation)")
    # 5. abra must be reachable: the config names it by absolute path.
    if cfg.get("platform", "abra") == "abra":
        expect(cfg.get("abra", {}).get("executable", "abra").startswith("/"), "platform abra: abra.executable is an absolute path")


def records(d, config_dir):
    """Compares the JSON keys of the full example with the components of the Java records."""
    comps = {}
    for f in os.listdir(config_dir):
        src = open(os.path.join(config_dir, f)).read()
        m = re.search(r"public record (\w+)\((.*?)\)\s*\{", src, re.S)
        if not m:
            continue
        names = []
        for part in re.split(r",\s*(?![^<]*>)", m.group(2)):
            prop = re.search(r'JsonProperty\("(\w+)"\)', part)
            names.append(prop.group(1) if prop else part.split()[-1])
        comps[m.group(1)] = set(names)
    cfg = json.loads(d["etc"]["cc-ci-warm/config.json"]["text"])
    where = {"": ("WarmConfig", [cfg]), "domains": ("DomainTemplates", [cfg["domains"]]),
             "recipes": ("RecipeConfig", cfg["recipes"]), "infra": ("InfraApp", cfg["infra"]),
             "abra": ("AbraSettings", [cfg["abra"]]), "swarm": ("SwarmSettings", [cfg["swarm"]]),
             "keycloak": ("KeycloakSettings", [cfg["keycloak"]]), "notify": ("NotifyChannel", cfg["notify"]),
             "timeouts": ("Timeouts", [cfg["timeouts"]]), "gate": ("GateSettings", [cfg["gate"]]),
             "infra.upstreamNotes": ("UpstreamNotesSettings",
                                     [a["upstreamNotes"] for a in cfg["infra"] if "upstreamNotes" in a])}
    # secretCommand is the alternative to secretFile (exclusive in Java); it is reachable through extraConfig.
    allowed_missing = {"keycloak.secretCommand"}
    for key, (record, objs) in where.items():
        expect(record in comps, f"record {record} found in {config_dir}")
        emitted = set().union(*[set(o) for o in objs]) if objs else set()
        for extra in sorted(emitted - comps.get(record, set())):
            expect(False, f"{key or 'top'}: emits '{extra}', not a component of {record}")
        for miss in sorted(comps.get(record, set()) - emitted):
            name = f"{key}.{miss}" if key else miss
            expect(name in allowed_missing, f"{record}.{miss} is not emitted by the full example (no option?)")
    expect(cfg["timeouts"]["testSeconds"] == 7200, "extraConfig wins over options (timeouts.testSeconds = 7200)")
    expect(cfg["timeouts"]["healthUrlSeconds"] == 45, "timeouts.healthUrlSeconds = 45 reaches the config")
    expect(cfg["gate"]["autoApply"] == "patch", "gate.autoApply = \"patch\" reaches the config")


if __name__ == "__main__":
    with open(sys.argv[2]) as f:
        data = json.load(f)
    if sys.argv[1] == "get":
        print(data["etc"]["cc-ci-warm/config.json"]["text"])
        sys.exit(0)
    if sys.argv[1] == "units":
        units(data)
    elif sys.argv[1] == "records":
        records(data, sys.argv[3])
    for p in problems:
        print(f"  not true: {p}")
    sys.exit(1 if problems else 0)
