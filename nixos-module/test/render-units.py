#!/usr/bin/env python3
"""Renders the evaluated systemd.services / systemd.timers attrs (eval.nix output, JSON) into unit files the way
NixOS does (nixos/lib/systemd-lib.nix, nixos/modules/system/boot/systemd.nix; reference/nixos.md A2):
  description/after/before/wants/requires + unitConfig -> [Unit]
  serviceConfig (+ path -> Environment=PATH, restartIfChanged=false -> X-RestartIfChanged=false) -> [Service]
  timerConfig -> [Timer]; wantedBy -> .wants symlinks (listed in <dir>/wanted-by.json, no [Install] section).
Any service attribute it does not know is an error, as it would be an unknown option in NixOS.
Usage: render-units.py EVAL_JSON OUT_DIR"""
import json
import os
import sys

SERVICE_KEYS = {"description", "after", "before", "wants", "requires", "wantedBy", "path", "serviceConfig",
                "unitConfig", "restartIfChanged", "stopIfChanged", "environment"}
TIMER_KEYS = {"description", "wantedBy", "timerConfig", "unitConfig"}


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def section(name, attrs):
    lines = [f"[{name}]"]
    for k, v in attrs:
        for item in (v if isinstance(v, list) else [v]):
            lines.append(f"{k}={value(item)}")
    return lines


def unit_section(u):
    attrs = []
    if "description" in u:
        attrs.append(("Description", u["description"]))
    for key, directive in (("after", "After"), ("before", "Before"), ("wants", "Wants"), ("requires", "Requires")):
        if u.get(key):
            attrs.append((directive, " ".join(u[key])))
    attrs += sorted(u.get("unitConfig", {}).items())
    return section("Unit", attrs)


def render(data, out):
    os.makedirs(out, exist_ok=True)
    wanted = {}
    for name, s in sorted(data["services"].items()):
        unknown = set(s) - SERVICE_KEYS
        if unknown:
            sys.exit(f"render: systemd.services.{name}: unknown attribute(s) {sorted(unknown)}")
        svc = []
        if s.get("path"):
            path = ":".join(f"{p}/bin:{p}/sbin" for p in s["path"])
            svc.append(("Environment", f'"PATH={path}"'))
        for k, v in sorted(s.get("environment", {}).items()):
            svc.append(("Environment", f'"{k}={v}"'))
        svc += sorted(s.get("serviceConfig", {}).items())
        if s.get("restartIfChanged") is False:
            svc.append(("X-RestartIfChanged", False))
        if s.get("stopIfChanged") is False:
            svc.append(("X-StopIfChanged", False))
        text = unit_section(s) + [""] + section("Service", svc)
        write(out, f"{name}.service", text)
        for t in s.get("wantedBy", []):
            wanted.setdefault(t, []).append(f"{name}.service")
    for name, t in sorted(data["timers"].items()):
        unknown = set(t) - TIMER_KEYS
        if unknown:
            sys.exit(f"render: systemd.timers.{name}: unknown attribute(s) {sorted(unknown)}")
        text = unit_section(t) + [""] + section("Timer", sorted(t.get("timerConfig", {}).items()))
        write(out, f"{name}.timer", text)
        for w in t.get("wantedBy", []):
            wanted.setdefault(w, []).append(f"{name}.timer")
    with open(os.path.join(out, "wanted-by.json"), "w") as f:
        json.dump(wanted, f, indent=1, sort_keys=True)


def write(out, filename, lines):
    with open(os.path.join(out, filename), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        render(json.load(f), sys.argv[2])
