#!/usr/bin/env python3
"""Makes the files an evaluated case's derivations would build (eval.nix's stand-ins only describe them), so the
checks run what a real build would produce:
  - config.json: the unchecked JSON (pkgs.formats.json), then, when checkConfig is on, the module's own build script
    (pkgs.runCommand) runs with `unchecked` and `out` set, as Nix would run it: that script runs the real
    `warm config check`; a configuration it rejects fails here, as it fails `nixos-rebuild build`;
  - every writeShellScriptBin of environment.systemPackages (the runner's launcher) as <path>/bin/<name>.
Prints the build's stderr and exits with its status (0 when there is no build). Usage: materialize.py EVAL_JSON"""
import json
import os
import subprocess
import sys


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def main(eval_json):
    d = json.load(open(eval_json))
    for p in d["systemPackages"]:
        if "scriptText" in p:
            write(os.path.join(p["path"], "bin", p["name"]), "#!/bin/bash\n" + p["scriptText"], 0o755)
    e = d["etc"]["cc-ci-warm/config.json"]
    b = e.get("build")
    if os.path.exists(e["source"]):
        os.remove(e["source"])
    if not b:
        write(e["source"], e["text"])
        return 0
    write(b["unchecked"], e["text"])
    p = subprocess.run(["bash", "-euo", "pipefail", "-c", b["script"]], capture_output=True, text=True,
                       env=dict(os.environ, unchecked=b["unchecked"], out=e["source"]), timeout=180)
    sys.stderr.write(p.stderr)
    if p.returncode == 0 and not os.path.exists(e["source"]):
        sys.stderr.write(f"the build script exited 0 without writing $out ({e['source']})\n")
        return 1
    return p.returncode


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
