# expect: The option `services.cc-ci-warm.recipe' does not exist
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipe.wordpress = { }; }; }
