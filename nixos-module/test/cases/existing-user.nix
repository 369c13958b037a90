# The units run as an existing user (not the default name): the module must not define it (no forced home, no
# uid), only the runner group's membership of the runner; reconcile.onSwitch = false: boot and switches leave
# the infra apps alone; checkConfig off: the file is not checked at build time.
{ pkgs, ... }:
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; user = "ops"; group = "ops";
    abra.package = pkgs.abra; checkConfig = false; reconcile.onSwitch = false;
    runner.users = [ "gitea-runner" ];
    infra.traefik.domain = "traefik.ci.example.org"; }; }
