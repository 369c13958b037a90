#!/usr/bin/env bash
# Writes the AppCDS archives of a cc-ci-warm distribution: LIB/warm.nightly.jsa and LIB/warm.quick.jsa, one
# dynamic class-data-sharing archive per entry module (-XX:ArchiveClassesAtExit of one training run), which the
# launchers bin/warm and bin/warm-quick pass to the JVM (-XX:SharedArchiveFile): the classes are then mapped
# pre-parsed and pre-verified instead of loaded from the jars, about half of the CLI's start-up CPU.
#   scripts/appcds.sh LIB [JAVA] [CONFIG]
# LIB: the module path (all jars); JAVA: the java that will run the distribution (default: java on PATH) — an
# archive is only valid for the JVM that wrote it and for these exact jars (paths, sizes, mtimes), so run it where
# the distribution lives, after the jars are in place (warm-nightly's `mvn package`; package.nix's installPhase).
# CONFIG: a configuration for the training run's `warm config check` (default: docs/config.example.json).
# Never fails the build: an archive that does not work is removed (the launchers then start without one). Next to
# each archive, LIB/<module>.jsa.size holds its size, which the launchers check before they use it.
set -euo pipefail
lib=${1:?usage: scripts/appcds.sh LIB [JAVA] [CONFIG]}
# The physical path: the launchers pass theirs the same way, and the JVM compares module paths as strings.
lib=$(cd "$lib" && pwd -P)
java=${2:-java}
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
config=${3:-$here/docs/config.example.json}
# Training runs: the classes a typical command loads — for warm.nightly, CdsTraining runs `config check` (picocli's
# model of every subcommand, the configuration loader, Jackson) and a snapshot, verify and restore of a throwaway
# tree (the snapshot engine) in one JVM; for warm.quick, the quick lane's command model.
declare -A training=(
  [warm.nightly]="warm.nightly/warm.nightly.CdsTraining $config"
  [warm.quick]="warm.quick run --help"
)
for module in warm.nightly warm.quick; do
  jsa=$lib/$module.jsa
  rm -f "$jsa" "$jsa.size"
  # The dump's warnings (e.g. picocli's Java 5 classes, which CDS cannot archive) go to the JVM's log: off.
  # shellcheck disable=SC2086 # the training arguments are words
  "$java" -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -p "$lib" -m ${training[$module]} \
    >/dev/null 2>&1 || true
  # -Xshare:on refuses to start with an archive it cannot map: proof the archive fits this JVM and these jars.
  if [ -s "$jsa" ] && "$java" -XX:SharedArchiveFile="$jsa" -XX:+VerifySharedSpaces -Xshare:on -Xlog:cds=off \
       -Xlog:cds+dynamic=off -p "$lib" -m "$module" --version >/dev/null 2>&1; then
    # The launchers use the archive only at this size: a truncated archive kills the JVM (SIGBUS) before it checks.
    stat -c %s "$jsa" >"$jsa.size"
    echo "appcds: $jsa ($(($(stat -c %s "$jsa") / 1024)) KiB)"
  else
    rm -f "$jsa"
    echo "appcds: no archive for $module (this JVM cannot write or map one); the launchers start without it" >&2
  fi
done
