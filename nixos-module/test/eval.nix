# Evaluates module.nix + one test case against the stand-in lib, the way NixOS would build a system:
# failed assertions abort with "Failed assertions:" (like nixos/modules/system/activation/top-level.nix).
# Usage: nix-instantiate --store dummy:// --eval --strict --json eval.nix --argstr case cases/full.nix \
#          --argstr stubRoot /tmp/x   (stubRoot holds fake packages: <name>/bin/<exe>)
{ case, stubRoot }:
let
  lib = import ./lib-stub.nix;
  fakePkg = name: exe: { type = "derivation"; outPath = "${stubRoot}/${name}"; pname = name; meta.mainProgram = exe; };
  pkgs = {
    cc-ci-warm = fakePkg "cc-ci-warm" "warm";
    docker = fakePkg "docker" "docker";
    git = fakePkg "git" "git";
    abra = fakePkg "abra" "abra";
  };
  evaluated = lib.evalModules {
    modules = [ ./nixos-stub.nix ../module.nix (/. + case) ];
    specialArgs = { inherit pkgs; };
  };
  c = evaluated.config;
  failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
in
if failed != [ ] then throw "\nFailed assertions:\n- ${builtins.concatStringsSep "\n- " failed}"
else {
  inherit (c) warnings users;
  etc = c.environment.etc;
  systemPackages = c.environment.systemPackages;
  services = c.systemd.services;
  timers = c.systemd.timers;
  tmpfiles = c.systemd.tmpfiles.rules;
}
