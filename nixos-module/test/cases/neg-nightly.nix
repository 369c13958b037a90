# `warm nightly` does not exist in this release: nightly settings are refused, not silently ignored.
# expect: services.cc-ci-warm.nightly: this release has no `warm nightly` command
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    nightly.dates = "*-*-* 02:30:00"; }; }
