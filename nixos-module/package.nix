# The cc-ci-warm distribution as a Nix package: the JPMS module path (all jars of warm-nightly/target/dist/lib) and
# two wrappers on a JRE:
#   bin/warm        java -p $out/share/cc-ci-warm/lib -m warm.nightly   (the operator CLI; meta.mainProgram)
#   bin/warm-quick  java -p $out/share/cc-ci-warm/lib -m warm.quick     (the --quick lane for the CI runner)
#
# mvnHash: the fixed-output hash of the Maven dependency repository. It is a PLACEHOLDER (lib.fakeHash) because no
# nixpkgs is reachable where this was written. On a host with nixpkgs, build once:
#   nix-build -E 'with import <nixpkgs> { }; callPackage ./nixos-module/package.nix { }'
# Nix fails with "hash mismatch ... got: sha256-…"; paste that value here. It changes whenever a dependency or a
# plugin version in the poms changes.
#
# Tests are not run in the build sandbox (doCheck = false): they need Docker, Swarm and reflink filesystems, which
# the sandbox lacks; CI runs them (see .ci and docs/).
{ lib, maven, jre_headless, makeWrapper }:

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

  mvnHash = lib.fakeHash; # PLACEHOLDER: replace with the hash Nix prints on the first build (see above)
  mvnParameters = "-pl warm-nightly -am -DskipTests";
  doCheck = false;

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    mkdir -p $out/share/cc-ci-warm/lib
    cp warm-nightly/target/dist/lib/*.jar $out/share/cc-ci-warm/lib/
    makeWrapper ${jre_headless}/bin/java $out/bin/warm \
      --add-flags "-p $out/share/cc-ci-warm/lib -m warm.nightly"
    makeWrapper ${jre_headless}/bin/java $out/bin/warm-quick \
      --add-flags "-p $out/share/cc-ci-warm/lib -m warm.quick"
    runHook postInstall
  '';

  meta = {
    description = "Warm-data layer for the cc-ci Co-op Cloud recipe CI (canonicals, known-good snapshots, --quick)";
    mainProgram = "warm";
    platforms = lib.platforms.linux;
  };
}
