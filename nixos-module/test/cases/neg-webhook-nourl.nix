# expect: a webhook channel needs url
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    notify = [ { type = "webhook"; } ]; }; }
