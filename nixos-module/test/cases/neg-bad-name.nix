# expect: invalid name '../evil'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra."../evil".domain = "evil.ci.example.org"; }; }
