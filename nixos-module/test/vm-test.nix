# A real NixOS VM test of services.cc-ci-warm, for hosts that have nixpkgs and KVM. NOT run by CI here (no
# nixpkgs is reachable; the offline checks in run.sh cover what can be checked without it). Run:
#   nix-build nixos-module/test/vm-test.nix            (or: nix-build -E '…' -I nixpkgs=…)
# It swaps in a fake `warm` that logs its arguments (the pattern of nixpkgs' restic test) and proves the
# what-runs-when contract of docs/nixos.md:
#   - at boot: recover first, then reconcile traefik, then reconcile keycloak (after = [ "traefik" ]);
#   - a switch re-runs the reconcile oneshots but not recover, and does not stop or restart a running nightly;
#   - the timers are installed; /etc/cc-ci-warm/config.json is the generated JSON.
{ pkgs ? import <nixpkgs> { } }:
let
  fakeWarm = pkgs.writeShellScriptBin "warm" ''
    echo "$(date +%s.%N) $*" >> /var/lib/ci-warm/calls.log
    if [ "$1" = nightly ]; then sleep 120; fi
  '';
in
pkgs.testers.runNixOSTest {
  name = "cc-ci-warm";
  nodes.machine = { lib, ... }: {
    imports = [ ../module.nix ];
    users.groups.docker = { }; # no Docker needed for the unit contract; the group must exist
    services.cc-ci-warm = {
      enable = true;
      package = fakeWarm;
      runtimePackages = [ ];
      ciDomain = "ci.test";
      recipes.wordpress = { };
      infra = {
        traefik.domain = "traefik.ci.test";
        keycloak = { domain = "auth.ci.test"; stateful = true; after = [ "traefik" ]; };
      };
      keycloak = { url = "https://auth.ci.test"; secretFile = "/run/secrets/kc"; };
    };
    system.switch.enable = true;
    specialisation.changed.configuration.services.cc-ci-warm.timeouts.deploySeconds = lib.mkForce 700;
  };

  testScript = ''
    import json
    machine.wait_for_unit("multi-user.target")

    def calls():
        return [l.split(" ", 1)[1] for l in machine.succeed("cat /var/lib/ci-warm/calls.log").splitlines()]

    with subtest("boot: recover, then reconcile in dependency order"):
        c = calls()
        assert c[:3] == ["recover", "reconcile traefik", "reconcile keycloak"], c
        machine.succeed("systemctl is-active cc-ci-warm-recover.service")  # RemainAfterExit
        machine.fail("systemctl is-active cc-ci-warm-reconcile-traefik.service")  # inactive again

    with subtest("config.json is the generated document"):
        cfg = json.loads(machine.succeed("cat /etc/cc-ci-warm/config.json"))
        assert cfg["ciDomain"] == "ci.test" and cfg["recipes"] == [{"name": "wordpress", "sso": False}], cfg
        assert cfg["keycloak"]["secretFile"] == "/run/secrets/kc", cfg

    with subtest("timers are installed"):
        machine.succeed("systemctl list-timers --all | grep cc-ci-warm-nightly.timer")
        machine.succeed("systemctl list-timers --all | grep cc-ci-warm-prune.timer")

    with subtest("a switch re-runs reconcile, not recover, and leaves a running nightly alone"):
        machine.succeed("systemctl start --no-block cc-ci-warm-nightly.service")
        machine.wait_until_succeeds("systemctl is-active cc-ci-warm-nightly.service")
        pid = machine.succeed("systemctl show -P MainPID cc-ci-warm-nightly.service").strip()
        before = calls()
        machine.succeed("/run/current-system/specialisation/changed/bin/switch-to-configuration test")
        after = calls()[len(before):]
        assert "reconcile traefik" in after and "reconcile keycloak" in after, after
        assert "recover" not in after, after
        assert machine.succeed("systemctl show -P MainPID cc-ci-warm-nightly.service").strip() == pid
        cfg = json.loads(machine.succeed("cat /etc/cc-ci-warm/config.json"))
        assert cfg["timeouts"]["deploySeconds"] == 700, cfg
  '';
}
