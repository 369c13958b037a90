# expect: The option `services.cc-ci-warm.platform' is not of type `one of "abra", "swarm"'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    platform = "kubernetes"; }; }
