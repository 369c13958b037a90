# expect: The option `services.cc-ci-warm.timeouts.healthSeconds' is not of type `positive integer
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    timeouts.healthSeconds = 0; }; }
