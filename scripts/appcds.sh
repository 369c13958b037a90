#!/usr/bin/env bash
# Writes the AppCDS archives of a cc-ci-warm distribution: LIB/warm.nightly.jsa and LIB/warm.quick.jsa, one static
# class-data-sharing archive per entry module, which the launchers bin/warm and bin/warm-quick pass to the JVM
# (-XX:SharedArchiveFile): the classes are then mapped pre-parsed and pre-verified instead of loaded from the jars.
#   scripts/appcds.sh LIB [JAVA] [CONFIG]
# LIB: the module path (all jars), or a runtime image that holds the modules (scripts/runtime.sh: DIST/runtime; its
# archives go to DIST/runtime/lib, written and run by its own bin/java, no module path); JAVA: the java that will run
# the distribution (default: java on PATH) — an
# archive is only valid for the JVM that wrote it and for these exact jars (paths, sizes, mtimes), so run it where
# the distribution lives, after the jars are in place (warm-nightly's `mvn package`; package.nix's installPhase).
# CONFIG: a configuration for the training run of `warm config check` (default: docs/config.example.json).
# How: several training runs per module (-XX:DumpLoadedClassList), each a command an operator runs — usage, the
# configuration check, and a snapshot, verify and restore of a small throwaway tree — their class lists merged, then
# one static dump (-Xshare:dump). A dynamic archive (-XX:ArchiveClassesAtExit) records a single run: the data
# commands' classes (the engine, JNA) then came from the jars (machine-docs/DECISIONS.md).
# Never fails the build: an archive that does not work is removed (the launchers then start without one). Next to
# each archive, LIB/<module>.jsa.size holds its size, which the launchers check before they use it.
set -euo pipefail
lib=${1:?usage: scripts/appcds.sh LIB [JAVA] [CONFIG]}
# The physical path: the launchers pass theirs the same way, and the JVM compares module paths as strings.
lib=$(cd "$lib" && pwd -P)
java=${2:-java}
# mp: the module path option of every run; dir: where the archives go.
mp=(-p "$lib")
dir=$lib
jars=$lib # the module jars (a runtime image's are next to it: DIST/lib)
if [ -x "$lib/bin/java" ] && [ -f "$lib/lib/modules" ]; then
  java=$lib/bin/java mp=() dir=$lib/lib jars=${lib%/*}/lib
fi
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
config=${3:-$here/docs/config.example.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The throwaway tree the data commands work on (state root, store and volume all under $work).
mkdir -p "$work/vol/dir" "$work/state"
for i in 1 2 3 4 5 6 7 8; do printf 'training %s\n' "$i" >"$work/vol/dir/file$i"; done
ln -s file1 "$work/vol/dir/link"
printf '{"stateRoot": "%s"}\n' "$work/state" >"$work/config.json"
data="--config $work/config.json --store $work/store --volume data=$work/vol"
# Training runs, one per line: the classes typical commands load.
training_warm_nightly="--help
config check --config $config
snapshot $data
verify $data
restore $data"
training_warm_quick="--help
run --help"
for module in warm.nightly warm.quick; do
  jsa=$dir/$module.jsa
  rm -f "$jsa" "$jsa.size"
  var=training_${module//./_}
  lists=()
  n=0
  while IFS= read -r args; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the training arguments are words
    "$java" -XX:DumpLoadedClassList="$work/$module.$n.classlist" -Xshare:auto ${mp[@]+"${mp[@]}"} -m "$module" $args \
      >/dev/null 2>&1 || true
    [ -s "$work/$module.$n.classlist" ] && lists+=("$work/$module.$n.classlist")
  done <<<"${!var}"
  # One list in first-loaded order (comments dropped): each class once, each line as often as one training run
  # listed it. A lambda proxy line repeats when call sites of one class share a shape (SnapshotCommand's four
  # `common::config`, the JDK's FindOps): the archive holds one proxy per listed line and each call site takes its
  # own, so a line kept once left the other sites' proxies to be spun at run time (ASM on the main thread).
  if [ ${#lists[@]} -gt 0 ]; then
    awk 'FNR == 1 { split("", c) }
      /^#/ { next }
      { if (!($0 in m)) { o[++n] = $0; m[$0] = 0 } if (++c[$0] > m[$0]) m[$0] = c[$0] }
      END { for (i = 1; i <= n; i++) for (k = 0; k < m[o[i]]; k++) print o[i] }' "${lists[@]}" >"$work/$module.classlist"
    # The operator CLI's archive also holds every class of the snapshot engine, loaded by a training run or not:
    # the throwaway tree sits on a filesystem that cannot clone (mktemp -d), so the training snapshot takes the
    # tar path and the reflink path's classes (TreeCopier & co.) came from the jars at every real snapshot (issue
    # 15). Listed by name from the jar; a name the dump cannot load is skipped with a warning, never an error.
    engine=$(ls "$jars"/warm-snapshot-*.jar 2>/dev/null | head -1)
    if [ "$module" = warm.nightly ] && [ -n "$engine" ] && command -v unzip >/dev/null; then
      unzip -Z1 "$engine" 'warm/snapshot/*.class' 2>/dev/null | sed 's/\.class$//' \
        | awk 'NR == FNR { seen[$1] = 1; next } !($0 in seen)' "$work/$module.classlist" - >>"$work/$module.classlist" || true
    fi
    # The dump's warnings (e.g. picocli's Java 5 classes, which CDS cannot archive) go to the JVM's log: off.
    "$java" -Xshare:dump -XX:SharedClassListFile="$work/$module.classlist" -XX:SharedArchiveFile="$jsa" \
      -Xlog:cds=off -Xlog:cds+dynamic=off ${mp[@]+"${mp[@]}"} -m "$module" >/dev/null 2>&1 || rm -f "$jsa"
  fi
  # -Xshare:on refuses to start with an archive it cannot map: proof the archive fits this JVM and these jars.
  if [ -s "$jsa" ] && "$java" -XX:SharedArchiveFile="$jsa" -XX:+VerifySharedSpaces -Xshare:on -Xlog:cds=off \
       -Xlog:cds+dynamic=off ${mp[@]+"${mp[@]}"} -m "$module" --version >/dev/null 2>&1; then
    # The launchers use the archive only at this size: a truncated archive kills the JVM (SIGBUS) before it checks.
    stat -c %s "$jsa" >"$jsa.size"
    echo "appcds: $jsa ($(($(stat -c %s "$jsa") / 1024)) KiB, $(wc -l <"$work/$module.classlist") classes listed)"
  else
    rm -f "$jsa"
    echo "appcds: no archive for $module (this JVM cannot write or map one); the launchers start without it" >&2
  fi
done
