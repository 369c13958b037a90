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
    util-linux = fakePkg "util-linux" "setpriv";
    coreutils = fakePkg "coreutils" "env";
    # Build helpers as data: run.sh materialises these files and runs the build scripts (with the real CLI), so a
    # configuration the Java loader rejects fails here as it fails `nixos-rebuild build`.
    formats.json = _: {
      generate = name: value: { type = "derivation"; inherit name; outPath = "${stubRoot}/gen/${name}";
        text = builtins.toJSON value; };
    };
    runCommand = name: env: script: env // { type = "derivation"; inherit name; outPath = "${stubRoot}/gen/${name}";
      buildScript = script; };
    writeShellScriptBin = name: text: { type = "derivation"; inherit name; outPath = "${stubRoot}/gen/${name}";
      meta.mainProgram = name; scriptText = text; };
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
  # config.json: its text, its store path, and (checkConfig) the build script and the unchecked file it reads.
  etc = lib.mapAttrs (n: e: if !(e ? source) then e else {
    source = e.source.outPath;
    text = (e.source.unchecked or e.source).text;
    build = if e.source ? buildScript then { script = e.source.buildScript; unchecked = e.source.unchecked.outPath; }
      else null;
  }) c.environment.etc;
  systemPackages = map (p: { path = p.outPath; } // (if p ? scriptText then { inherit (p) name scriptText; } else { }))
    c.environment.systemPackages;
  sudo = c.security.sudo.extraRules;
  reconcileOnSwitch = c.services.cc-ci-warm.reconcile.onSwitch;
  services = c.systemd.services;
  timers = c.systemd.timers;
  tmpfiles = c.systemd.tmpfiles.rules;
}
