# expect: a sweep of zero recipes is an error
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; }; }
