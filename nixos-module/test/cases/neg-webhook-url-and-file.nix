# url and urlFile together: which one is meant is unclear, and the token may be in both.
# expect: a webhook channel needs exactly one of url and urlFile
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm";
    notify = [ { type = "webhook"; url = "https://ntfy.example.org/x"; urlFile = "/run/secrets/u"; } ]; }; }
