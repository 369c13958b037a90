#!/usr/bin/env bash
# Links a cc-ci-warm distribution into its own Java runtime image: DIST/runtime holds the JDK modules and all the
# distribution's modules (jlink), so that the launchers start `runtime/bin/java -m <module>` with no module path.
#   scripts/runtime.sh LIB [JAVA_HOME]
# LIB: the distribution's module path (DIST/lib, all jars); the image goes next to it (DIST/runtime). JAVA_HOME: the
# JDK that links it (default: the one of java on PATH); it needs jlink, jdeps, javac and its jmods.
# Why: with a module path, JDK 17 resolves the boot layer at every start (~2/5 of `warm --version`); modules linked
# into the image come with their resolution done at link time (machine-docs/DECISIONS.md).
# How: the jars are copied; one without a module descriptor (an automatic module: semver4j) gets the one jdeps
# derives from its classes, under the automatic module's own name, compiled and added to the copy (LIB is not
# touched); jlink links the two entry modules with --bind-services, i.e. the same modules the JVM resolves at run
# time for `-p LIB -m warm.nightly`; scripts/appcds.sh then writes the image's AppCDS archives. Last, the image
# records the jars it was linked from (DIST/runtime/warm.jars: name, size, mtime), which the launchers compare with
# LIB before they use it: jars changed after linking mean the image would run other code, so they use LIB.
# Never fails the build: without a JDK that can link, or on any error, there is no image and the launchers use LIB.
set -euo pipefail
lib=${1:?usage: scripts/runtime.sh LIB [JAVA_HOME]}
lib=$(cd "$lib" && pwd -P)
jh=${2:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=${lib%/*}/runtime
rm -rf "$out"
no_image() {
  rm -rf "$out"
  echo "runtime: no image ($1); the launchers use $lib" >&2
  exit 0
}
jmods=
for d in "$jh/jmods" "$jh/lib/openjdk/jmods"; do
  if [ -f "$d/java.base.jmod" ]; then jmods=$d; break; fi
done
[ -n "$jmods" ] || no_image "no jmods in $jh"
for tool in jlink jdeps javac jar; do
  [ -x "$jh/bin/$tool" ] || no_image "no $tool in $jh/bin"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/mp"
cp "$lib"/*.jar "$work/mp/"
for jar in "$work"/mp/*.jar; do
  desc=$("$jh/bin/jar" --describe-module --file "$jar" 2>&1) || no_image "jar cannot read $jar"
  case $desc in *"No module descriptor found"*) ;; *) continue ;; esac
  gen=$work/gen/$(basename "$jar")
  "$jh/bin/jdeps" --multi-release 17 --module-path "$work/mp" --generate-module-info "$gen" "$jar" >/dev/null 2>&1 \
    || no_image "jdeps cannot describe $(basename "$jar")"
  info=$(find "$gen" -name module-info.java | head -1)
  name=$(sed -n 's/^module \([^ ]*\) {.*/\1/p' "$info")
  [ -n "$name" ] || no_image "no module name for $(basename "$jar")"
  "$jh/bin/javac" --release 17 -p "$work/mp" --patch-module "$name=$jar" -d "$gen/classes" "$info" >/dev/null 2>&1 \
    || no_image "the module-info of $(basename "$jar") does not compile"
  "$jh/bin/jar" --update --file "$jar" -C "$gen/classes" module-info.class || no_image "jar cannot update $jar"
done
# No --strip-debug: stack traces keep their line numbers.
"$jh/bin/jlink" --module-path "$jmods:$work/mp" --add-modules warm.nightly,warm.quick --bind-services \
  --no-header-files --no-man-pages --output "$out" >"$work/jlink.log" 2>&1 \
  || no_image "jlink: $(tail -1 "$work/jlink.log")"
"$out/bin/java" -m warm.nightly --version >/dev/null 2>&1 || no_image "the linked image does not run warm --version"
bash "$here/scripts/appcds.sh" "$out"
(cd "$lib" && stat -c '%n %s %Y' -- *.jar) >"$out/warm.jars"
echo "runtime: $out ($(du -sm "$out" | cut -f1) MiB, $("$out/bin/java" --list-modules | wc -l) modules)"
