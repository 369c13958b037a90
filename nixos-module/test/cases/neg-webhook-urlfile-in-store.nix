# A webhook URL file in the Nix store would publish the token it exists to hide.
# expect: services.cc-ci-warm.notify: /nix/store/abc-hook-url is in the Nix store (world-readable)
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm";
    notify = [ { type = "webhook"; urlFile = "/nix/store/abc-hook-url"; } ]; }; }
