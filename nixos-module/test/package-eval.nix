# Evaluates ../package.nix offline with stand-ins for its nixpkgs inputs, so run.sh can check what the package does
# without nixpkgs: the message a missing Maven dependency hash gives, and the real installPhase, which run.sh then
# executes on the built distribution (warm-nightly/target/dist/lib) to make the package the module's units run.
#   what = "hash"     -> the mvnHash the build would use (throws the how-to message when none is set)
#   what = "install"  -> { installPhase; mainProgram; }   (jre: a JDK home standing in for jre_headless and jdk_headless)
# Usage: nix-instantiate --store dummy:// --eval --strict --json package-eval.nix --argstr what hash [--argstr mvnHash H]
{ what, jre ? "/usr", mvnHash ? null, javaOpt ? null }:
let
  lib = import ./lib-stub.nix // {
    # Only what package.nix calls; the source filter never runs here (nothing is built).
    cleanSource = src: src;
    cleanSourceWith = { src, filter }: src;
    platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
    sourceTypes = { fromSource = "fromSource"; binaryBytecode = "binaryBytecode"; };
    concatMapStrings = f: l: builtins.concatStringsSep "" (map f l);
    escapeShellArg = a: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] a + "'";
  };
  # buildMavenPackage's arguments are what we check; the stand-in hands them back.
  maven.buildMavenPackage = args: args;
  pkg = import ../package.nix ({
    inherit lib maven;
    jre_headless = { outPath = jre; };
    jdk_headless = { outPath = jre; };
    coreutils = { outPath = "/usr"; };
    runtimeShell = "/bin/bash";
  } // (if mvnHash == null then { } else { inherit mvnHash; })
    // (if javaOpt == null then { } else { extraJavaOptions = [ javaOpt ]; }));
in
if what == "hash" then pkg.mvnHash
else if what == "install" then { inherit (pkg) installPhase; inherit (pkg.meta) mainProgram sourceProvenance; }
else throw "package-eval.nix: what must be hash or install"
