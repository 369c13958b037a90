# expect: The option `services.cc-ci-warm.recipes.wordpress.ssoo' does not exist
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress.ssoo = true; }; }
