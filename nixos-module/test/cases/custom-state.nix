# stateDir outside /var/lib: no StateDirectory, a tmpfiles rule creates it; nightly and prune disabled, so an
# empty recipe list is fine; mkForce beats the module's own value.
{ lib, ... }:
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; stateDir = "/srv/ci-warm";
    nightly.enable = false; prune.enable = false; platform = "swarm";
    infra.traefik = { domain = "traefik.ci.example.org"; };
    infra.keycloak = { domain = "auth.ci.example.org"; reconcileOnSwitch = false; }; };
  systemd.services.cc-ci-warm-reconcile-traefik.serviceConfig.TimeoutStartSec = lib.mkForce "5min"; }
