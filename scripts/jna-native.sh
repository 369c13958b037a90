#!/usr/bin/env bash
# Extracts JNA's native stub (libjnidispatch.so) from the distribution's JNA jar once, at package time, so that a data
# command does not extract it at every start: DIST/jna/<jar name without .jar>/libjnidispatch.so, which the launchers
# pass to the JVM as jna.boot.library.path when it exists.
#   scripts/jna-native.sh LIB [JAVA_HOME]
# LIB: the distribution's module path (DIST/lib, all jars); the folder goes next to it (DIST/jna). JAVA_HOME: a JDK
# whose `jar` tool extracts when unzip is missing (default: none).
# Why: without it, JNA's first use copies the stub out of its jar into a temp file (File.createTempFile: the JDK's
# security providers and a seeded SecureRandom, ~95 classes nothing else in a tar snapshot loads), loads it and
# deletes it: ~25-30 ms of CPU per command (machine-docs/DECISIONS.md, tar path ninth round).
# The folder is named after the jar, so a JNA upgrade (another jar name) never meets an old stub; JNA itself refuses
# a stub of another version. Only the host's architecture is extracted (the JVM that runs the distribution is the
# host's, as for the AppCDS archives); another architecture or any error leaves no folder, and JNA extracts as before.
# Never fails the build.
set -euo pipefail
lib=${1:?usage: scripts/jna-native.sh LIB [JAVA_HOME]}
lib=$(cd "$lib" && pwd -P)
jh=${2:-}
out=${lib%/*}/jna
rm -rf "$out"
skip() {
  rm -rf "$out"
  echo "jna-native: no extracted stub ($1); JNA extracts it at each start" >&2
  exit 0
}
case $(uname -m) in
  x86_64) prefix=linux-x86-64 ;;
  aarch64) prefix=linux-aarch64 ;;
  *) skip "architecture $(uname -m)" ;;
esac
jars=("$lib"/jna-*.jar)
[ "${#jars[@]}" = 1 ] && [ -f "${jars[0]}" ] || skip "not exactly one jna-*.jar in $lib"
jar=${jars[0]}
name=${jar##*/}
entry=com/sun/jna/$prefix/libjnidispatch.so
dir=$out/${name%.jar}
mkdir -p "$dir"
tmp=$(mktemp -d "$out/.tmp.XXXXXX")
if command -v unzip >/dev/null; then
  unzip -q -o "$jar" "$entry" -d "$tmp" || skip "unzip failed"
elif [ -n "$jh" ] && [ -x "$jh/bin/jar" ]; then
  (cd "$tmp" && "$jh/bin/jar" xf "$jar" "$entry") || skip "jar xf failed"
else
  skip "neither unzip nor a JDK's jar tool"
fi
[ -s "$tmp/$entry" ] || skip "$entry not in $name"
mv "$tmp/$entry" "$dir/libjnidispatch.so"
rm -rf "$tmp"
echo "jna-native: $dir/libjnidispatch.so"
