# stateDir outside /var/lib: no StateDirectory, a tmpfiles rule creates it; prune disabled, no recipes; mkForce
# beats the module's own value.
{ lib, ... }:
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; stateDir = "/srv/ci-warm";
    prune.enable = false; platform = "swarm";
    infra.traefik = { domain = "traefik.ci.example.org"; };
    infra.keycloak = { domain = "auth.ci.example.org"; reconcileOnSwitch = false; }; };
  systemd.services.cc-ci-warm-reconcile-traefik.serviceConfig.TimeoutStartSec = lib.mkForce "5min"; }
