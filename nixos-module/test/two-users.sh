#!/usr/bin/env bash
# The CI runner and the service user as two real Unix users (issue 16, point 4), with the module's own artefacts:
# the state root made by its tmpfiles rule (systemd-tmpfiles --create), the sudo rule it declares (rendered as
# NixOS renders security.sudo.extraRules), its launcher cc-ci-warm-quick, and the real warm-quick of the package.
# Shows what works (the runner's quick run through `sudo cc-ci-warm-quick`: it reads the state root and takes the
# app's lock as the service user) and what is refused (the runner's own warm-quick on the 0700 state root; another
# --config through the launcher; anything else as the service user through sudo).
# Usage: two-users.sh WORK_DIR STUB_ROOT   (run.sh's work dir and stand-in packages; needs root)
# Prints "ok ..."/"FAIL ..." lines; exits 1 on a failure, 77 when skipped (not root, and CI is not true).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
stub=$2
fail=0
ok() { echo "ok   two-users: $*"; }
bad() { fail=1; echo "FAIL two-users: $*"; }
if [ "$(id -u)" -ne 0 ]; then
  if [ "${CI:-}" = true ]; then echo "FAIL two-users: needs root (useradd)"; exit 1; fi
  echo "skip two-users: needs root (useradd)"; exit 77
fi
command -v sudo >/dev/null || apt-get install -y --no-install-recommends sudo >/dev/null 2>&1 \
  || { echo "FAIL two-users: sudo is missing and apt-get could not install it"; exit 1; }

hex=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
svc=ciw-svc-$hex
runner=ciw-run-$hex
rgroup=ciw-runners-$hex
dir=/var/tmp/ciw-two-users-$hex
sudoers=/etc/sudoers.d/ciw-two-users-$hex
cleanup() {
  rm -f "$sudoers"
  userdel "$runner" 2>/dev/null; userdel "$svc" 2>/dev/null; groupdel "$rgroup" 2>/dev/null
  groupdel "$runner" 2>/dev/null; groupdel "$svc" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$svc" || exit 1
useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$runner" || exit 1
# users.users.<runner>.extraGroups = [ runner.group ] (what the module declares for runner.users); both in docker
# (the service user is, by the module; a CI runner that deploys is): so what refuses the runner is the state root.
groupadd --system "$rgroup" && usermod -aG "$rgroup,docker" "$runner" && usermod -aG docker "$svc" || exit 1
mkdir -p "$dir/runner/checkout" && git -C "$dir/runner/checkout" init -q && chown -R "$runner:$runner" "$dir/runner" \
  && chmod 0700 "$dir/runner" || exit 1

cat >"$work/two-users.nix" <<NIX
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; platform = "swarm"; docker = "$(command -v docker)";
    user = "$svc"; group = "$svc"; stateDir = "$dir/state"; recipes.wordpress = { };
    runner = { users = [ "$runner" ]; group = "$rgroup"; }; }; }
NIX
nix-instantiate --store dummy:// --eval --strict --json "$here/eval.nix" --argstr case "$work/two-users.nix" \
  --argstr stubRoot "$stub" >"$work/two-users.json" 2>"$work/two-users.err" \
  || { echo "FAIL two-users: evaluation: $(tail -3 "$work/two-users.err")"; exit 1; }
python3 "$here/materialize.py" "$work/two-users.json" || { echo "FAIL two-users: config build"; exit 1; }
read -r config launcher pkg < <(python3 - "$work/two-users.json" "$work/two-users.conf" "$sudoers" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write("\n".join(d["tmpfiles"]) + "\n")
# NixOS's rendering of security.sudo.extraRules: "%group ALL=(runAs) OPTIONS: command".
lines = [f"%{g} ALL=({r['runAs']}) {':'.join(c['options'])}: {c['command']}" for r in d["sudo"] for g in r["groups"]
         for c in r["commands"]]
open(sys.argv[3], "w").write("\n".join(lines) + "\n")
launcher = [p for p in d["systemPackages"] if p.get("name") == "cc-ci-warm-quick"][0]
print(d["etc"]["cc-ci-warm/config.json"]["source"], launcher["path"] + "/bin/cc-ci-warm-quick",
      d["systemPackages"][0]["path"])
PY
)
chmod 0440 "$sudoers"
visudo -cf "$sudoers" >/dev/null || { echo "FAIL two-users: the rendered sudo rule does not parse: $(cat "$sudoers")"; exit 1; }
# The package and the stand-ins live in run.sh's work dir (0700 root): the two users must reach them, as they
# reach /nix/store on a host.
chmod o+x "$work" "$(dirname "$stub")" 2>/dev/null
chmod -R o+rX "$stub"
for d in $(python3 -c 'import sys; p=sys.argv[1].split("/")[1:-1]; print(" ".join("/" + "/".join(p[:i+1]) for i in range(len(p))))' "$(readlink -f "$pkg/share")"); do
  chmod o+x "$d" 2>/dev/null
done

systemd-tmpfiles --create "$work/two-users.conf" || bad "systemd-tmpfiles --create failed"
if [ "$(stat -c '%a %U %G' "$dir/state")" = "700 $svc $svc" ]; then ok "tmpfiles made the state root 0700 $svc:$svc"
else bad "state root after tmpfiles: $(stat -c '%a %U %G' "$dir/state")"; fi

quick=(run --recipe wordpress --checkout "$dir/runner/checkout" --json "$dir/runner/result.json" --fallback cold)
as_runner() { runuser -u "$runner" -- "$@"; }

# Refused: the runner's own warm-quick cannot enter the state root.
out=$(as_runner env WARM_CONFIG="$config" "$pkg/bin/warm-quick" "${quick[@]}" -- true 2>&1); rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ] && grep -q "$dir/state" <<<"$out" && [ -z "$(ls -A "$dir/state" 2>/dev/null)" ]; then
  ok "refused: the runner's own warm-quick on the 0700 state root (exit $rc: $(grep "$dir/state" <<<"$out" | head -1 | cut -c1-160)); nothing written"
else bad "the runner's own warm-quick: exit $rc, state root: $(ls -A "$dir/state"): $out"; fi

# Refused: another configuration through the launcher.
out=$(as_runner sudo -n "$launcher" run --config /tmp/other.json --recipe wordpress 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "cc-ci-warm-quick: --config is not allowed" <<<"$out"; then ok "refused: --config through the launcher (exit 2)"
else bad "--config through the launcher: exit $rc: $out"; fi

# A usage error through the launcher names the launcher, as the runner typed it (not warm-quick, not warm.quick).
out=$(as_runner sudo -n "$launcher" finish --recipe wordpress 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "try 'cc-ci-warm-quick finish --help'" <<<"$out"; then ok "usage through the launcher names cc-ci-warm-quick (exit 2)"
else bad "usage through the launcher: exit $rc: $out"; fi

# Refused: sudo gives the runner the launcher only, nothing else as the service user or root.
out=$(as_runner sudo -n -u "$svc" "$pkg/bin/warm-quick" --help 2>&1); rc=$?
out2=$(as_runner sudo -n /bin/true 2>&1); rc2=$?
if [ $rc -ne 0 ] && [ $rc2 -ne 0 ]; then ok "refused: sudo of anything but the launcher (warm-quick as $svc: exit $rc; /bin/true: exit $rc2)"
else bad "sudo allowed more than the launcher: $rc $out / $rc2 $out2"; fi

# Works: the quick lane through the launcher runs as the service user with the volume capabilities and reads the
# state root the runner's own run could not (no canonical yet: exit 3, run cold first). The result comes back on
# stdout (--json -): a file the service user wrote would be its own 0600 file.
out=$(as_runner sudo -n "$launcher" run --recipe wordpress --checkout "$dir/runner/checkout" --json - --fallback cold \
  -- true 2>"$dir/runner/err"); rc=$?
if [ $rc -eq 3 ] && python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["outcome"] == "no-canonical", r' "$out" 2>/dev/null; then
  ok "works: sudo cc-ci-warm-quick as $runner -> warm-quick as $svc read the state root (exit 3, no canonical: run cold first; result JSON on the runner's stdout: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(json.dumps({k: r[k] for k in ("mode", "outcome", "recipe")}))' "$out"))"
else bad "the launcher's quick run: exit $rc: $out $(cat "$dir/runner/err")"; fi
as_runner ls "$dir/state" >/dev/null 2>&1 && bad "the runner can list the state root" \
  || ok "refused: the runner still cannot list the state root after the run"
exit $fail
