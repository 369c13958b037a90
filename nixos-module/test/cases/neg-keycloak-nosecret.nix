# expect: keycloak.secretFile is required when keycloak.url is set
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org"; recipes.wordpress = { };
    keycloak.url = "https://auth.ci.example.org"; }; }
