#!/usr/bin/env bash
# The whole test suite on a Debian 12 host, as root: prepares the real test bed (packages, Docker engine + Swarm,
# offline images, XFS/btrfs loop mounts, Keycloak), then runs unit tests (Surefire), tests on real parts (Failsafe),
# and the NixOS module's offline checks. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/testbed.sh
if [ -f scripts/keycloak.sh ]; then
  WARM_KEYCLOAK_HOME=$(bash scripts/keycloak.sh prepare)   # cached, augmented server tree
  export WARM_KEYCLOAK_HOME
fi
# Offline Keycloak images (26.4.7, 26.5.6) for the reconciler's Swarm-deployed Keycloak; cached, seconds when built.
bash scripts/keycloak-image.sh
# The NixOS module checks need only the built distribution (warm-nightly/target/dist, made before warm-nightly's
# Failsafe run starts), so they run beside warm-nightly's ITs instead of after Maven: those ITs mostly wait on Swarm
# and Keycloak. Niced, so that a Keycloak boot does not wait on them. Their output follows Maven's.
nixos_out=$(mktemp)
trap 'rm -f "$nixos_out" "$nixos_out.s"' EXIT
nixos_pid=
shopt -s lastpipe   # the loop below runs in this shell, so nixos_pid outlives it
mvn_rc=0
mvn -B -ntp verify | while IFS= read -r line; do
  printf '%s\n' "$line"
  if [ -z "$nixos_pid" ] && [ -f nixos-module/test/run.sh ] \
      && [[ $line == *"maven-failsafe-plugin:"*":integration-test "*"@ warm-nightly ---"* ]]; then
    ( t0=$SECONDS
      rc=0
      nice -n 10 bash nixos-module/test/run.sh </dev/null || rc=$?
      echo "$((SECONDS - t0))" >"$nixos_out.s"
      exit "$rc" ) >"$nixos_out" 2>&1 &
    nixos_pid=$!
  fi
done || mvn_rc=$?
nixos_rc=0
if [ -n "$nixos_pid" ]; then
  wait "$nixos_pid" || nixos_rc=$?
  echo "nixos-module checks, run beside warm-nightly's ITs, took $(cat "$nixos_out.s" 2>/dev/null || echo '?') s:"
  cat "$nixos_out"
elif [ "$mvn_rc" -eq 0 ] && [ -f nixos-module/test/run.sh ]; then
  bash nixos-module/test/run.sh || nixos_rc=$?
fi
[ "$mvn_rc" -eq 0 ] || exit "$mvn_rc"
exit "$nixos_rc"
