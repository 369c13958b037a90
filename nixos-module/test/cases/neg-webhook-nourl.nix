# expect: a webhook channel needs exactly one of url and urlFile
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    notify = [ { type = "webhook"; } ]; }; }
