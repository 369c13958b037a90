#!/usr/bin/env python3
"""The CI runner's quick-lane snippet in docs/quick.md must run on a NixOS host with the module enabled: its argv[0]
must be a program the module links into the system profile (/run/current-system/sw/bin/<name> exists iff some
package of environment.systemPackages has bin/<name>), and the built CLI must accept its command and options.
Runs that program with the snippet's arguments (+ --sso, + --help). Exits 1 with the reason otherwise.
Usage: check-snippet.py QUICK_MD EVAL_JSON"""
import ast
import json
import os
import re
import subprocess
import sys

PROFILE_BIN = "/run/current-system/sw/bin/"


def snippet_argv(markdown):
    """The `cmd = [...]` list of the python block under "In `run_recipe_ci.py`", names replaced by sample values."""
    section = markdown.split("### In `run_recipe_ci.py`", 1)
    if len(section) != 2:
        sys.exit("docs/quick.md has no section 'In `run_recipe_ci.py`'")
    block = re.search(r"```python\n(.*?)```", section[1], re.S)
    samples = {"recipe": "wordpress", "checkout": "/tmp", "result_file": "/tmp/quick.json"}
    for node in ast.walk(ast.parse(block.group(1))):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "cmd":
            return [e.value if isinstance(e, ast.Constant) else samples[e.id] for e in node.value.elts]
    sys.exit("the snippet has no `cmd = [...]`")


def main(quick_md, eval_json):
    argv = snippet_argv(open(quick_md).read())
    if not argv[0].startswith(PROFILE_BIN):
        sys.exit(f"the snippet runs {argv[0]}, not a program of the system profile ({PROFILE_BIN}…)")
    name = argv[0][len(PROFILE_BIN):]
    packages = json.load(open(eval_json))["systemPackages"]
    found = [p["path"] for p in packages if os.access(os.path.join(p["path"], "bin", name), os.X_OK)]
    if not found:
        sys.exit(f"no package of environment.systemPackages has bin/{name}: {packages}")
    real = [os.path.join(found[0], "bin", name)] + argv[1:] + ["--sso", "--help"]
    p = subprocess.run(real, capture_output=True, text=True, timeout=180)
    if p.returncode != 0 or not p.stdout.startswith("Usage:"):
        sys.exit(f"`{' '.join(argv[1:])} --sso --help` rejected (exit {p.returncode}): {(p.stderr or p.stdout).strip()[:300]}")
    print(f"{argv[0]} {' '.join(argv[1:4])} … (from {os.path.basename(found[0])}/bin/{name})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
