# expect: services.cc-ci-warm.infra.keycloak.after
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    infra.keycloak = { domain = "auth.ci.example.org"; after = [ "traefk" ]; }; }; }
