# expect: canonical domain 'warm-traefik.ci.example.org' equals the domain of infra app 'traefik'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org";
    recipes.traefik = { }; infra.traefik.domain = "warm-traefik.ci.example.org"; }; }
