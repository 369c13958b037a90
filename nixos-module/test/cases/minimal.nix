# The smallest useful setup: Docker, abra, one enrolled recipe, everything else default.
{ pkgs, ... }:
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; abra.package = pkgs.abra; }; }
