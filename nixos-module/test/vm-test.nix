# A real NixOS VM test of services.cc-ci-warm, for hosts that have nixpkgs and KVM. NOT run by CI here (no
# nixpkgs is reachable; the offline checks in run.sh cover what can be checked without it, including every unit's
# command line against the built CLI). Run:
#   nix-build nixos-module/test/vm-test.nix            (or: nix-build -E '…' -I nixpkgs=…)
# It swaps in a fake `warm` that logs its arguments (the pattern of nixpkgs' restic test) and proves the
# what-runs-when contract of docs/nixos.md:
#   - at boot: recover first, then reconcile traefik, then reconcile keycloak (after = [ "traefik" ]);
#   - a reconcile exiting 3 (held) or 5 (skipped) is not a failed unit; one exiting 4 (rollback failed) is, and
#     makes the switch fail;
#   - a switch re-runs the reconcile oneshots but not recover, and does not stop or restart a running prune whose
#     unit file the switch CHANGES (so the test fails without restartIfChanged = false);
#   - the timers are installed; warm-quick is on the system profile; /etc/cc-ci-warm/config.json is the JSON.
{ pkgs ? import <nixpkgs> { } }:
let
  # Every unit passes `--config <file>`: the fake logs the other arguments. Exit code of a call:
  # /run/warm-exit-<last other argument> if it exists (e.g. /run/warm-exit-keycloak), else 0. `config check` (the
  # module's build-time check, run in the build sandbox) only succeeds.
  fakeWarm = pkgs.symlinkJoin {
    name = "fake-cc-ci-warm";
    meta.mainProgram = "warm";
    paths = [
      (pkgs.writeShellScriptBin "warm" ''
        args=()
        while [ $# -gt 0 ]; do
          case $1 in --config) shift 2 ;; *) args+=("$1"); shift ;; esac
        done
        if [ "''${args[0]}" = config ]; then exit 0; fi
        echo "$(date +%s.%N) ''${args[*]}" >> /var/lib/ci-warm/calls.log
        if [ "''${args[0]}" = prune ]; then sleep 120; fi
        last=''${args[-1]}
        if [ -f "/run/warm-exit-$last" ]; then exit "$(cat "/run/warm-exit-$last")"; fi
      '')
      (pkgs.writeShellScriptBin "warm-quick" ''echo "warm-quick $*"'')
    ];
  };
in
pkgs.testers.runNixOSTest {
  name = "cc-ci-warm";
  nodes.machine = { lib, ... }: {
    imports = [ ../module.nix ];
    virtualisation.docker.enable = true; # the module demands it (the units order after docker.service)
    services.cc-ci-warm = {
      enable = true;
      package = fakeWarm;
      runtimePackages = [ ];
      platform = "swarm";
      ciDomain = "ci.test";
      recipes.wordpress = { };
      infra = {
        traefik.domain = "traefik.ci.test";
        keycloak = { domain = "auth.ci.test"; stateful = true; after = [ "traefik" ]; };
      };
      keycloak = { url = "https://auth.ci.test"; secretFile = "/run/secrets/kc"; };
    };
    system.switch.enable = true;
    # Changes the prune unit itself (TimeoutStartSec), not only config.json: a switch would restart it if it did
    # not have restartIfChanged = false.
    specialisation.changed.configuration.services.cc-ci-warm = {
      timeouts.deploySeconds = lib.mkForce 700;
      prune.timeoutStartSec = lib.mkForce "2h";
    };
    specialisation.changed2.configuration.services.cc-ci-warm.timeouts.deploySeconds = lib.mkForce 800;
  };

  testScript = ''
    import json
    machine.wait_for_unit("multi-user.target")

    def calls():
        return [l.split(" ", 1)[1] for l in machine.succeed("cat /var/lib/ci-warm/calls.log").splitlines()]

    with subtest("boot: recover, then reconcile in dependency order"):
        c = calls()
        assert c[:3] == ["recover --skip-busy", "reconcile traefik", "reconcile keycloak"], c
        machine.succeed("systemctl is-active cc-ci-warm-recover.service")  # RemainAfterExit
        machine.fail("systemctl is-active cc-ci-warm-reconcile-traefik.service")  # inactive again

    with subtest("config.json is the generated document"):
        cfg = json.loads(machine.succeed("cat /etc/cc-ci-warm/config.json"))
        assert cfg["ciDomain"] == "ci.test" and cfg["recipes"] == [{"name": "wordpress", "sso": False}], cfg
        assert cfg["keycloak"]["secretFile"] == "/run/secrets/kc", cfg

    with subtest("timers are installed; warm-quick is on the system profile"):
        machine.succeed("systemctl list-timers --all | grep cc-ci-warm-prune.timer")
        machine.succeed("systemctl list-timers --all | grep cc-ci-warm-sso-reap.timer")
        machine.fail("systemctl list-timers --all | grep cc-ci-warm-alerts-deliver.timer")  # no notify channel
        machine.succeed("/run/current-system/sw/bin/warm-quick run --help")

    with subtest("a switch re-runs reconcile, not recover, and leaves a running prune alone"):
        machine.succeed("systemctl start --no-block cc-ci-warm-prune.service")
        # A running oneshot is "activating", never "active": `systemctl is-active` would never succeed here.
        machine.wait_until_succeeds("test \"$(systemctl show -P ActiveState cc-ci-warm-prune.service)\" = activating")
        pid = machine.succeed("systemctl show -P MainPID cc-ci-warm-prune.service").strip()
        unit_before = machine.succeed("readlink -f /etc/systemd/system/cc-ci-warm-prune.service").strip()
        before = calls()
        machine.succeed("echo 3 > /run/warm-exit-keycloak")  # held by the gate: not a failure
        machine.succeed("/run/current-system/specialisation/changed/bin/switch-to-configuration test")
        after = calls()[len(before):]
        assert "reconcile traefik" in after and "reconcile keycloak" in after, after
        assert not any(a.startswith("recover") for a in after), after
        machine.fail("systemctl is-failed cc-ci-warm-reconcile-keycloak.service")
        unit_after = machine.succeed("readlink -f /etc/systemd/system/cc-ci-warm-prune.service").strip()
        assert unit_after != unit_before, "the switch changed the prune unit (else this proves nothing)"
        assert machine.succeed("systemctl show -P TimeoutStartUSec cc-ci-warm-prune.service").strip() == "2h"
        assert machine.succeed("systemctl show -P ActiveState cc-ci-warm-prune.service").strip() == "activating"
        assert machine.succeed("systemctl show -P MainPID cc-ci-warm-prune.service").strip() == pid
        cfg = json.loads(machine.succeed("cat /etc/cc-ci-warm/config.json"))
        assert cfg["timeouts"]["deploySeconds"] == 700, cfg

    with subtest("a failed rollback (exit 4) fails the unit and the switch"):
        machine.succeed("echo 4 > /run/warm-exit-keycloak")
        machine.fail("/run/current-system/specialisation/changed2/bin/switch-to-configuration test")
        machine.succeed("systemctl is-failed cc-ci-warm-reconcile-keycloak.service")
  '';
}
