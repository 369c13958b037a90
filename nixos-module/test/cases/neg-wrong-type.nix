# expect: The option `services.cc-ci-warm.timeouts.deploySeconds' is not of type `positive integer
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    timeouts.deploySeconds = "600"; }; }
