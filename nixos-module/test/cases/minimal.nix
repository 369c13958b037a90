# The smallest useful setup: one enrolled recipe, everything else default.
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; }; }
