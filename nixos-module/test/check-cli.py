#!/usr/bin/env python3
"""Runs every command line of the rendered units with the BUILT cc-ci-warm distribution (no stub), so a unit that
names a command or an option the CLI lacks fails here instead of on the host.

For each <unit>.service in UNITS_DIR and each of its Exec* lines:
  - the line is split the way systemd does (quotes; the @-:+! prefixes are stripped; % specifiers are refused:
    none is expected, and a silent mistranslation would make this check lie);
  - argv[0] must be an executable file;
  - argv + ["--help"] runs with the unit's Environment= (its PATH, WARM_CONFIG) and must exit 0 and print
    "Usage:". picocli parses the whole line before it honours --help: an unknown command, an unknown option or a
    bad option value exits 2 (see `warm reconcile --bogus --help`);
  - a command that is safe on an empty state root (SAFE below) also runs for real, with --config and WARM_CONFIG
    pointing at a copy of CONFIG_JSON whose stateRoot is a fresh empty directory, and must exit 0.
Prints one line per check ("ok ..." / "FAIL ..."); exits 1 if any failed. Identical command lines (same argv, same
environment) run once; with CHECK_CLI_CACHE=FILE, once across invocations (run.sh checks several cases).
Usage: check-cli.py UNITS_DIR CONFIG_JSON"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

# Subcommand paths that change nothing when the state root is empty: recover finds no journal, alerts deliver finds
# an empty outbox (neither touches Docker, abra or Keycloak then). Everything else needs the real host.
SAFE = {("recover",), ("alerts", "deliver")}
TIMEOUT_SECONDS = 180
_cache = {}
_CACHE_FILE = os.environ.get("CHECK_CLI_CACHE")


def exec_lines(unit_file):
    """(directive, argv, env) for every Exec* line of a rendered unit."""
    env, lines = {}, []
    with open(unit_file) as f:
        for raw in f:
            key, sep, val = raw.rstrip("\n").partition("=")
            if not sep:
                continue
            if key == "Environment":
                for assignment in shlex.split(val):
                    k, _, v = assignment.partition("=")
                    env[k] = v
            elif key.startswith("Exec"):
                lines.append((key, val))
    out = []
    for key, val in lines:
        if "%" in val:
            raise ValueError(f"{key}={val}: systemd % specifiers are not supported by this check")
        argv = shlex.split(val)
        while argv and argv[0][:1] in "@-:+!":
            argv[0] = argv[0][1:]
        out.append((key, argv, env))
    return out


def run(argv, env):
    key = json.dumps([argv, sorted(env.items())])
    if key not in _cache:
        try:
            p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
            _cache[key] = (p.returncode, p.stdout, p.stderr)
        except subprocess.TimeoutExpired:
            _cache[key] = (None, "", f"timed out after {TIMEOUT_SECONDS} s")
    return _cache[key]


def words(argv):
    """The subcommand path: the leading arguments after the executable that are not options."""
    path = []
    for a in argv[1:]:
        if a.startswith("-"):
            break
        path.append(a)
    return tuple(path)


def main(units_dir, config_json):
    if _CACHE_FILE and os.path.exists(_CACHE_FILE):
        with open(_CACHE_FILE) as f:
            _cache.update(json.load(f))
    failed = 0
    state_parent = tempfile.mkdtemp(prefix="check-cli-")
    with open(config_json) as f:
        config = json.load(f)
    for name in sorted(os.listdir(units_dir)):
        if not name.endswith(".service"):
            continue
        for key, argv, env in exec_lines(os.path.join(units_dir, name)):
            shown = " ".join([os.path.basename(argv[0])] + argv[1:])
            if not (os.path.isfile(argv[0]) and os.access(argv[0], os.X_OK)):
                print(f"FAIL cli: {name} {key}: {argv[0]} is not an executable file")
                failed += 1
                continue
            rc, out, err = run(argv + ["--help"], env)
            if rc == 0 and out.startswith("Usage:"):
                print(f"ok   cli: {name}: `{shown} --help` accepted by the built CLI")
            else:
                print(f"FAIL cli: {name}: `{shown} --help` exit {rc}: {(err or out).strip()[:300]}")
                failed += 1
                continue
            path = words(argv)
            if any(path[:len(s)] == s for s in SAFE):
                root = tempfile.mkdtemp(dir=state_parent)
                cfg = os.path.join(root, "config.json")
                with open(cfg, "w") as f:
                    json.dump(dict(config, stateRoot=os.path.join(root, "state")), f)
                # The unit passes --config explicitly: point that at the copy too.
                real = [cfg if i > 0 and argv[i - 1] == "--config" else a for i, a in enumerate(argv)]
                rc, out, err = run(real, dict(env, WARM_CONFIG=cfg))
                if rc == 0:
                    print(f"ok   cli: {name}: `{shown}` runs for real on an empty state root (exit 0)")
                else:
                    print(f"FAIL cli: {name}: `{shown}` on an empty state root exit {rc}: {(err or out).strip()[:300]}")
                    failed += 1
    shutil.rmtree(state_parent, ignore_errors=True)
    if _CACHE_FILE:
        with open(_CACHE_FILE, "w") as f:
            json.dump(_cache, f)
    return failed


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(1 if main(sys.argv[1], sys.argv[2]) else 0)
