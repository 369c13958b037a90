# The cc-ci-warm distribution as a Nix package: the JPMS module path (all jars of warm-nightly/target/dist/lib),
# their AppCDS archives, the distribution linked into its own runtime image (share/cc-ci-warm/runtime, by
# scripts/runtime.sh with jdk_headless's jlink and jmods; with its own archives), and the repository's launcher
# (bin/warm), which runs that image when it matches the jars and the JRE with the module path otherwise, installed
# twice:
#   bin/warm        java -p $out/share/cc-ci-warm/lib -m warm.nightly   (the operator CLI; meta.mainProgram)
#   bin/warm-quick  java -p $out/share/cc-ci-warm/lib -m warm.quick     (the --quick lane for the CI runner)
# The archives (lib/warm.nightly.jsa, lib/warm.quick.jsa; scripts/appcds.sh) are written here, by the package's own
# JRE, for the jars at their final paths with the store's mtime (1 s after the epoch: Nix resets every mtime after
# the build, and an archive checks its jars' mtimes). A JRE that cannot write one gets none: the launcher then
# starts without it.
#
# mvnHash is the fixed-output hash of the Maven dependency repository. It can only be computed on a host with
# nixpkgs (none is reachable where this is developed), so a release sets it: see the message below, which is also
# what evaluation stops with while it is unset (docs/nixos.md, "Releasing the package").
#
# Tests are not run in the build sandbox (doCheck = false): they need Docker, Swarm and reflink filesystems, which
# the sandbox lacks; CI runs them (see .ci and docs/).
{ lib, maven, jre_headless, jdk_headless, coreutils, runtimeShell
  # The release's Maven dependency hash ("sha256-…"); null until a release sets it here (or a caller passes it).
, mvnHash ? null
  # JVM options baked into both wrappers (before -p), e.g. [ "-Xmx512m" ]; the module's extraJavaOptions sets
  # JDK_JAVA_OPTIONS per unit instead.
, extraJavaOptions ? [ ]
  # For passthru.tests only (callPackage passes it): the NixOS VM test of the module.
, pkgs ? null
}:

let
  missingHash = ''
    cc-ci-warm: nixos-module/package.nix has no Maven dependency hash (mvnHash) yet.
    Set it once per release, on a host with nixpkgs, from the repository root:
      1. nix-build -E 'with import <nixpkgs> { }; callPackage ./nixos-module/package.nix { mvnHash = lib.fakeHash; }'
      2. Nix stops with "hash mismatch in fixed-output derivation …-maven-deps.drv": copy the value after
         "got: sha256-…".
      3. In nixos-module/package.nix replace `mvnHash ? null` by `mvnHash ? "sha256-…"` (that value), or pass
         it: services.cc-ci-warm.package = pkgs.callPackage ./nixos-module/package.nix { mvnHash = "sha256-…"; };
      4. Build again: it must succeed. Redo 1-4 whenever a dependency or plugin version in a pom changes.
  '';
  javaFlags = lib.concatMapStrings (o: lib.escapeShellArg o + " ") extraJavaOptions;
in
maven.buildMavenPackage {
  pname = "cc-ci-warm";
  version = "0.1.0";

  # The repository root (the Maven reactor); .git, build output and the Nix module itself are left out.
  src = lib.cleanSourceWith {
    src = lib.cleanSource ../.;
    filter = path: type:
      let base = baseNameOf (toString path); in
      !(type == "directory" && (base == "target" || base == "nixos-module"));
  };

  mvnHash = if mvnHash != null then mvnHash else throw missingHash;
  mvnParameters = "-pl warm-nightly -am -DskipTests";
  doCheck = false;

  installPhase = ''
    runHook preInstall
    mkdir -p $out/share/cc-ci-warm/lib
    cp warm-nightly/target/dist/lib/*.jar $out/share/cc-ci-warm/lib/
    touch -d @1 $out/share/cc-ci-warm/lib/*.jar
    bash scripts/appcds.sh $out/share/cc-ci-warm/lib ${jre_headless}/bin/java
    # The image the launchers prefer (no module path to resolve at start); without jlink or jmods, none: the
    # launchers then run the JRE with the module path.
    bash scripts/runtime.sh $out/share/cc-ci-warm/lib ${jdk_headless}
    # JNA's native stub extracted once (share/cc-ci-warm/jna), which the launchers hand to JNA: no temp-file copy at
    # every start; without unzip the JDK's jar tool extracts it.
    bash scripts/jna-native.sh $out/share/cc-ci-warm/lib ${jdk_headless}
    # The launcher with the package's shell, JRE and coreutils (a unit's PATH may have none of them); it picks the
    # module by the name it is called as and finds ../share/cc-ci-warm/lib.
    mkdir -p $out/bin
    for name in warm warm-quick; do
      { echo '#!${runtimeShell}'
        echo 'JAVA=''${JAVA:-${jre_headless}/bin/java}'
        echo 'PATH=${coreutils}/bin''${PATH:+:$PATH}'
        echo "package_opts=(${javaFlags})"
        tail -n +2 bin/warm
      } >$out/bin/$name
      chmod +x $out/bin/$name
    done
    runHook postInstall
  '';

  # `nix-build -A cc-ci-warm.tests.vm` on a host with nixpkgs and KVM (not run in CI here).
  passthru.tests = lib.optionalAttrs (pkgs != null) { vm = import ./test/vm-test.nix { inherit pkgs; }; };

  meta = {
    description = "Warm-data layer for the cc-ci Co-op Cloud recipe CI (canonicals, known-good snapshots, --quick)";
    mainProgram = "warm";
    platforms = lib.platforms.linux;
    # Our code is built from source; the Maven dependencies are fetched as jars (bytecode).
    sourceProvenance = with lib.sourceTypes; [ fromSource binaryBytecode ];
    # license and homepage: the repository declares neither yet (no LICENSE file, no <url>/<licenses> in the
    # pom); a release must add them here rather than this file guessing one.
  };
}
