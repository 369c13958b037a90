# expect: The option `services.cc-ci-warm.gate.autoApply' is not of type `one of "minor", "patch"'
{ virtualisation.docker.enable = true;
  services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; platform = "swarm";
    gate.autoApply = "major"; }; }
