# A nightly with nothing to sweep is an error, refused at evaluation (cc-ci's sweep "fired green" with enrolled = []).
# expect: services.cc-ci-warm.nightly.enable needs at least one enrolled recipe and nightly.coldCommand
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    nightly = { enable = true; dates = "*-*-* 02:30:00"; }; }; }
