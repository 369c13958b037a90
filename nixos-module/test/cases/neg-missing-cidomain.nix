# expect: The option `services.cc-ci-warm.ciDomain' is used but not defined
{ services.cc-ci-warm = { enable = true; recipes.wordpress = { }; }; }
