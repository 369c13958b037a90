# expect: The option `services.cc-ci-warm.infra.traefik.domain' is used but not defined
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { }; infra.traefik = { }; }; }
