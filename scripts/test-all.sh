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
mvn -B -ntp verify
if [ -f nixos-module/test/run.sh ]; then
  bash nixos-module/test/run.sh
fi
