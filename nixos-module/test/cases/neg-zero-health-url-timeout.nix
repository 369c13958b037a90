# expect: The option `services.cc-ci-warm.timeouts.healthUrlSeconds' is not of type `positive integer
{ virtualisation.docker.enable = true; services.cc-ci-warm = { enable = true; platform = "swarm"; ciDomain = "ci.example.org"; recipes.wordpress = { };
    timeouts.healthUrlSeconds = 0; }; }
