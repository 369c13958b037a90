# expect: canonical domain 'warm-wordpress.ci.example.org' is used by two recipes
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org";
    recipes = { wordpress = { }; gitea.domain = "warm-wordpress.ci.example.org"; }; }; }
